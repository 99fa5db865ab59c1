import { AsyncLocalStorage } from 'node:async_hooks';
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

/**
 * The request the code running now belongs to, for `forRoot({ requestScoped: false })`: a `RequestSlot`
 * for an HTTP request (entered by `RequestScopeHook`), or the batch an interceptor opened for a message or
 * operation. Nothing runs in it under the default request scope: `run()` is never called, so Node never
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
