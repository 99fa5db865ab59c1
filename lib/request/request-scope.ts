import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TaskBatch } from '../core/task-batch.js';

/**
 * One HTTP request in the request scope: its framework request until its batch is opened, then the batch
 * alone. Tasks keep the async context they were added in, this slot included, for as long as they run:
 * holding the batch (which lets go of its request once released) instead of the request keeps the
 * request and everything it references collectable while slow tasks run.
 */
export interface RequestSlot {
  request?: object;
  batch?: TaskBatch;
}

/** A Node server's `request` listener. */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The request the code running now belongs to, for `forRoot({ requestScoped: false })`: a `RequestSlot`
 * for an HTTP request (entered by `RequestScopeHook`), or the batch an interceptor opened for a message or
 * operation. Nothing runs in it under the default request scope: it is never entered, so Node never
 * turns on the promise hooks an active AsyncLocalStorage costs on Node 20 and 22.
 */
const requests = new AsyncLocalStorage<RequestSlot | TaskBatch>();

/** Runs `fn` (and everything it starts) as part of `request`. */
export function runInRequest<T>(request: RequestSlot | TaskBatch, fn: () => T): T {
  return requests.run(request, fn);
}

/** The request of the code running now; undefined outside any (bootstrap, a cron job, a queue consumer). */
export function currentRequest(): RequestSlot | TaskBatch | undefined {
  return requests.getStore();
}

/**
 * `listener`, run as part of a new request each time the server calls it. Where AsyncLocalStorage keeps
 * its stores in async context frames (Node 24 on, Node 22 with `--experimental-async-context-frame`),
 * the request is entered with `enterWith()`: the server calls its `request` listeners from the HTTP
 * parser's native callback, and Node puts the caller's frame back when such a callback returns (or
 * throws), so the request ends with it, for one frame per request where `run()` makes two (the request's,
 * then the caller's again). Where stores live on async resources instead, `enterWith()` would stay on
 * the parser's resource, which the connection's next request reuses: there it is `run()`.
 */
export function listenInRequests(listener: RequestListener, server: object): RequestListener {
  if (!framesEndWithCallbacks()) {
    return (request, response) => requests.run({ request }, () => listener.call(server, request, response));
  }
  return (request, response) => {
    requests.enterWith({ request });
    listener.call(server, request, response);
  };
}

let framed: boolean | undefined;

/**
 * Whether a store entered inside a callback ends with it: true where stores live in async context
 * frames. Asked of Node itself rather than of its version (a flag switches frames on or off): a
 * resource's callback that enters a store, then that resource's next callback. With frames the
 * resource's own frame comes back each time, without the store; on async resources the store stays.
 */
function framesEndWithCallbacks(): boolean {
  if (framed !== undefined) return framed;
  const probe = new AsyncLocalStorage<true>();
  const resource = new AsyncResource('nestjs-background-tasks.probe');
  resource.runInAsyncScope(() => probe.enterWith(true));
  framed = resource.runInAsyncScope(() => probe.getStore()) === undefined;
  probe.disable();
  return framed;
}
