import type { ExecutionContext } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';

/**
 * The object that identifies one request across the DI graph and the interceptor. Fastify hands Nest a
 * `FastifyRequest` in one place and its `.raw` Node request in another (middleware), so HTTP requests are
 * keyed by the Node request underneath.
 */
export function carrierOfRequest(request: unknown): object | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const raw = (request as { raw?: unknown }).raw;
  return raw instanceof IncomingMessage ? raw : request;
}

/** The carrier of the request an interceptor is running for. */
export function carrierOfContext(context: ExecutionContext): object | undefined {
  if (context.getType() === 'http') {
    return carrierOfRequest(context.switchToHttp().getRequest());
  }
  return undefined;
}

/** The Node response that belongs to a carrier, when the carrier leads to one. */
export function responseOfCarrier(carrier: object | undefined): ServerResponse | undefined {
  const response = (carrier as { res?: unknown } | undefined)?.res;
  return response instanceof ServerResponse ? response : undefined;
}

/** Method and route pattern of a request: the pattern, never the URL, which may carry secrets. */
export function requestInfoOf(carrier: object | undefined, original?: unknown): TaskRequestInfo | undefined {
  if (!(carrier instanceof IncomingMessage)) return undefined;
  const request = (original ?? carrier) as {
    route?: { path?: unknown };
    routeOptions?: { url?: unknown };
  };
  const pattern = request.route?.path ?? request.routeOptions?.url;
  const route = typeof pattern === 'string' ? pattern : (carrier.url ?? '').split('?', 1)[0];
  return { method: carrier.method, route };
}

/** `METHOD /route` for log lines. */
export function describeRequest(info: TaskRequestInfo | undefined): string {
  if (info === undefined) return 'no request';
  return `${info.method ?? ''} ${info.route ?? ''}`.trim() || 'a request';
}
