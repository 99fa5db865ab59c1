import { BackgroundTasks } from './background-tasks.service.js';
import { carrierOfRequest } from './completion/request-carrier.js';
import { TaskBatch } from './runner/task-batch.js';
import type { TaskRunner } from './runner/task-runner.js';
import { findBatch, registerBatch } from './task-batch.registry.js';

/** The batch of a request, opened by whichever way in comes first (DI, the interceptor, `@Tasks()`). */
export function batchForCarrier(runner: TaskRunner, carrier: object | undefined, request: unknown): TaskBatch {
  return findBatch(carrier) ?? openBatch(runner, carrier, request);
}

/** A new batch for a carrier known to have none yet. */
export function openBatch(runner: TaskRunner, carrier: object | undefined, request: unknown): TaskBatch {
  const batch = new TaskBatch(runner, carrier, request);
  if (carrier !== undefined) registerBatch(carrier, batch);
  return batch;
}

/** The one `BackgroundTasks` of a batch. */
export function tasksOfBatch(batch: TaskBatch): BackgroundTasks {
  return (batch.facade ??= new BackgroundTasks(batch));
}

/**
 * What Nest's request-scoped provider returns: the request's `BackgroundTasks`, the same instance a
 * `@Tasks()` parameter of the same request gets. Outside a request, a fresh one whose tasks run at once.
 */
export function tasksForRequest(request: unknown, runner: TaskRunner): BackgroundTasks {
  return tasksOfBatch(batchForCarrier(runner, carrierOfRequest(request), request));
}
