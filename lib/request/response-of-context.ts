import type { ExecutionContext } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { carrierOfRequest, responseOfCarrier } from './request-carrier.js';

/** Node's response under Express's `res` or Fastify's `reply` (`reply.raw`). */
export function nodeResponseOf(value: unknown): ServerResponse | undefined {
  // `raw` first: a Fastify reply fails `instanceof` only after walking its whole prototype chain.
  const raw = (value as { raw?: unknown } | undefined)?.raw;
  if (raw instanceof ServerResponse) return raw;
  return value instanceof ServerResponse ? value : undefined;
}

/**
 * The Node response an interceptor's handler answers through: the HTTP response for a route, and for a
 * GraphQL resolver the response of the HTTP request that carries the operation (`res` or `reply` when
 * the context has them, else found from its `req`). Undefined elsewhere.
 */
export function responseOfContext(context: ExecutionContext): ServerResponse | undefined {
  const type = context.getType<string>();
  if (type === 'http') return nodeResponseOf(context.switchToHttp().getResponse());
  if (type === 'graphql') {
    const gqlContext = context.getArgByIndex<{ res?: unknown; reply?: unknown } | undefined>(2);
    // Apollo's default context is `{ req }` alone: then the response is found from the request.
    return nodeResponseOf(gqlContext?.res) ?? nodeResponseOf(gqlContext?.reply) ?? responseOfCarrier(carrierOfRequest(gqlContext));
  }
  return undefined;
}
