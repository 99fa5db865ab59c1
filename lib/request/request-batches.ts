import { IncomingMessage } from 'node:http';
import type { TaskBatch } from '../core/task-batch.js';
import type { TaskRunner } from '../runner/task-runner.js';
import { BackgroundTasks } from './background-tasks.service.js';
import { ContextTaskBatch } from './context-task-batch.js';
import { HttpTaskBatch } from './http-task-batch.js';
import { carrierOfRequest } from './request-carrier.js';
import { findBatch, registerBatch } from './task-batch.registry.js';

/** The batch of a request, opened by whichever way in comes first (DI, the interceptor, `@Tasks()`). */
export function batchForCarrier(runner: TaskRunner, carrier: object | undefined, request: unknown): TaskBatch {
  return findBatch(carrier) ?? openBatch(runner, carrier, request);
}

/** A new batch for a carrier known to have none yet: an HTTP request's, or one with no response to wait for. */
export function openBatch(runner: TaskRunner, carrier: object | undefined, request: unknown): TaskBatch {
  const batch = carrier instanceof IncomingMessage ? new HttpTaskBatch(runner, carrier, request) : new ContextTaskBatch(runner, carrier, request);
  if (carrier !== undefined) registerBatch(carrier, batch);
  return batch;
}

/** Each runner's singleton `BackgroundTasks` under `requestScoped: false`. */
const sharedTasks = new WeakMap<object, BackgroundTasks>();

/** Makes `tasks` what every way in (DI, `@Tasks()`) hands out in `runner`'s app. */
export function shareTasks(runner: TaskRunner, tasks: BackgroundTasks): BackgroundTasks {
  sharedTasks.set(runner, tasks);
  return tasks;
}

/** The one `BackgroundTasks` of a batch: its own, or the app's singleton under `requestScoped: false`. */
export function tasksOfBatch(batch: TaskBatch): BackgroundTasks {
  return (batch.facade ??= sharedTasks.get(batch.runner) ?? new BackgroundTasks(batch)) as BackgroundTasks;
}

/**
 * What Nest's request-scoped provider returns: the request's `BackgroundTasks`, the same instance a
 * `@Tasks()` parameter of the same request gets. Outside a request, a fresh one whose tasks run soon.
 */
export function tasksForRequest(request: unknown, runner: TaskRunner): BackgroundTasks {
  return tasksOfBatch(batchForCarrier(runner, carrierOfRequest(request), request));
}
