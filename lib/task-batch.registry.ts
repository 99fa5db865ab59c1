import type { BackgroundTasks } from './background-tasks.service.js';
import type { TaskBatch } from './runner/task-batch.js';

/**
 * Request carrier -> its batch. Module-level so that the singleton interceptor can find a request-scoped
 * provider's batch without depending on it (Nest 12 refuses request-scoped dependencies in global
 * enhancers). Weak keys: a finished request takes its entry with it.
 */
const batches = new WeakMap<object, TaskBatch>();

/** Batch -> the one `BackgroundTasks` that every way in (DI, `@Tasks()`) hands out for it. */
const facades = new WeakMap<TaskBatch, BackgroundTasks>();

export function registerBatch(carrier: object, batch: TaskBatch): void {
  batches.set(carrier, batch);
}

export function findBatch(carrier: object | undefined): TaskBatch | undefined {
  return carrier === undefined ? undefined : batches.get(carrier);
}

export function findFacade(batch: TaskBatch): BackgroundTasks | undefined {
  return facades.get(batch);
}

export function registerFacade(batch: TaskBatch, tasks: BackgroundTasks): void {
  facades.set(batch, tasks);
}
