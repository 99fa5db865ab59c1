import type { ExecutionContext } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';
import { describePattern } from '../core/describe-request.js';

/**
 * A microservice message as Nest hands it to request-scoped providers (`RequestContextHost`): duck-typed,
 * so that the library never imports `@nestjs/microservices`.
 */
function isRpcRequestHost(value: object): value is { context: unknown; pattern: unknown } {
  return 'pattern' in value && 'context' in value && typeof (value as { getContext?: unknown }).getContext === 'function';
}

/** The Node request under Express's `req`, Fastify's `request`, or Mercurius's `reply`. */
function nodeRequestOf(value: unknown): IncomingMessage | undefined {
  // `raw` first: a Fastify request fails `instanceof` only after walking its whole prototype chain.
  const raw = (value as { raw?: unknown } | undefined)?.raw;
  if (raw instanceof IncomingMessage) return raw;
  return value instanceof IncomingMessage ? value : undefined;
}

/**
 * The object that identifies one request (or message, or connection) across the DI graph and the
 * interceptor: what `REQUEST` is and what the interceptor's context shows must lead to the same object.
 *
 * - HTTP: the Node request (Fastify hands Nest a `FastifyRequest` in one place and its `.raw` in another).
 * - GraphQL: the context object (`{ req, res }` on Apollo, `{ reply }` on Mercurius) is per operation;
 *   it is keyed by the Node request inside, so that middleware and resolvers agree.
 * - RPC: `REQUEST` is a `RequestContextHost { pattern, data, context }`, the interceptor sees `context`
 *   (`switchToRpc().getContext()`): keyed by the transport's per-message context.
 * - WebSocket: the client socket, in both places.
 */
export function carrierOfRequest(request: unknown): object | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const http = nodeRequestOf(request);
  if (http !== undefined) return http;
  const graphql = nodeRequestOf((request as { req?: unknown }).req) ?? nodeRequestOf(
    (request as { reply?: { request?: unknown } }).reply?.request,
  );
  if (graphql !== undefined) return graphql;
  if (isRpcRequestHost(request)) {
    const { context } = request;
    return typeof context === 'object' && context !== null ? context : request;
  }
  return request;
}

/**
 * The carrier of the request, message or connection an interceptor is running for. Read by argument
 * index, as Nest lays the arguments out per context type (`switchToHttp()` and the like build new
 * closures on every call, and this runs for every handler, with tasks or not).
 */
export function carrierOfContext(context: ExecutionContext): object | undefined {
  switch (context.getType<string>()) {
    case 'http': // (req, res, next)
      return carrierOfRequest(context.getArgByIndex(0));
    case 'rpc': // (data, context): the transport's per-message context, `host.context` of REQUEST
      return carrierOfRequest(context.getArgByIndex(1));
    case 'ws': // (client, data, ...)
      return carrierOfRequest(context.getArgByIndex(0));
    case 'graphql': // (root, args, context, info)
      return carrierOfRequest(context.getArgByIndex(2));
    default:
      return undefined;
  }
}

/**
 * The Node response that belongs to a carrier, when the carrier leads to one: Express links `req.res`.
 * Fastify's Node request has no such link, but while its response is being produced it is the socket's
 * current outgoing message (`socket._httpMessage`, a long-standing Node internal), checked against
 * `res.req` (public) so that a pipelined request never takes another request's response.
 */
export function responseOfCarrier(carrier: object | undefined): ServerResponse | undefined {
  const response = (carrier as { res?: unknown } | undefined)?.res;
  if (response instanceof ServerResponse) return response;
  if (!(carrier instanceof IncomingMessage)) return undefined;
  const current = (carrier.socket as { _httpMessage?: unknown } | null)?._httpMessage;
  return current instanceof ServerResponse && current.req === carrier ? current : undefined;
}

/** The route of a request whose route pattern is not known: no route matched (404), or not matched yet. */
export const UNKNOWN_ROUTE = '(unknown route)';

/** The framework request inside a GraphQL context: Apollo's `{ req }`, Mercurius's `{ reply }`. */
function graphqlRequestOf(original: unknown): { baseUrl?: unknown } | undefined {
  const context = original as { req?: unknown; reply?: { request?: unknown } } | undefined;
  const request = context?.req ?? context?.reply?.request;
  return typeof request === 'object' && request !== null ? request : undefined;
}

/** The symbol under which Fastify keeps a request's route context, once found; null: not found. */
let fastifyContextKey: symbol | null | undefined;

/** The symbol whose value on `request` holds the same route URL as `routeOptions` (checked once). */
function findFastifyContextKey(request: object, url: unknown): symbol | null {
  for (const key of Object.getOwnPropertySymbols(request)) {
    const config = (request as Record<symbol, { config?: { url?: unknown } } | undefined>)[key]?.config;
    if (key.description === 'fastify.context' && typeof config === 'object' && config !== null && config.url === url) return key;
  }
  return null;
}

/**
 * The route pattern of a Fastify request. `routeOptions` is the public way, but its getter builds a
 * dozen-field object and parses the request's headers at every read, a tenth of a one-task request's
 * cost of this library; the route's context, which Fastify keeps on the request under a symbol, holds
 * the same `config.url`. The symbol is found once, checked against `routeOptions`; without it (another
 * Fastify) the getter is read.
 */
function fastifyRouteUrl(request: { routeOptions?: { url?: unknown } }): unknown {
  if (fastifyContextKey === undefined) {
    const url = request.routeOptions?.url;
    if (url === undefined) return undefined; // a 404 cannot confirm the symbol: the next request will
    fastifyContextKey = findFastifyContextKey(request, url);
    return url;
  }
  const url = fastifyContextKey === null ? undefined : (request as Record<symbol, { config?: { url?: unknown } } | undefined>)[fastifyContextKey]?.config?.url;
  return url ?? request.routeOptions?.url;
}

/**
 * Method and route of a request, for log lines and hooks: for HTTP the route pattern, never the URL,
 * which may carry secrets (paths and query strings hold tokens): `(unknown route)` while no route has
 * matched (a middleware's task read before routing, a 404); GraphQL's endpoint is its mount path.
 * `RPC <pattern>` for a microservice message outside a handler (a message's own batch knows its
 * pattern: `MessageTaskBatch`). Never the payload.
 */
export function requestInfoOf(carrier: object | undefined, original?: unknown): TaskRequestInfo | undefined {
  if (!(carrier instanceof IncomingMessage)) {
    if (typeof original === 'object' && original !== null && isRpcRequestHost(original)) {
      return { method: 'RPC', route: describePattern(original.pattern) };
    }
    return undefined;
  }
  const graphql = graphqlRequestOf(original);
  const request = (graphql ?? original ?? carrier) as {
    route?: { path?: unknown };
    routeOptions?: { url?: unknown };
    baseUrl?: unknown;
  };
  const fastify = 'routeOptions' in request;
  // Apollo on Express is mounted with `app.use('/graphql', ...)`: no route, the mount path in `baseUrl`.
  const pattern = (fastify ? fastifyRouteUrl(request) : request.route?.path) ?? (graphql ? request.baseUrl : undefined);
  return { method: carrier.method, route: typeof pattern === 'string' && pattern !== '' ? pattern : UNKNOWN_ROUTE };
}
