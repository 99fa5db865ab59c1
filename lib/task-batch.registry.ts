import type { TaskBatch } from './runner/task-batch.js';

/**
 * Request carrier -> its batch. Module-level so that the singleton interceptor can find a request-scoped
 * provider's batch without depending on it (Nest 12 refuses request-scoped dependencies in global
 * enhancers). Weak keys: a finished request takes its entry with it.
 */
const batches = new WeakMap<object, TaskBatch>();

export function registerBatch(carrier: object, batch: TaskBatch): void {
  batches.set(carrier, batch);
}

export function findBatch(carrier: object | undefined): TaskBatch | undefined {
  return carrier === undefined ? undefined : batches.get(carrier);
}
