import { Logger } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import { TASKS_WITHOUT_REQUEST } from '../core/background-tasks.messages.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import type { TaskRunner } from '../runner/task-runner.js';
import { BackgroundTasks } from './background-tasks.service.js';
import { ContextTaskBatch } from './context-task-batch.js';
import { HttpTaskBatch } from './http-task-batch.js';
import { carrierOfRequest } from './request-carrier.js';
import { findBatch, registerBatch } from './task-batch.registry.js';

/** The batch of a request, opened by whichever way in comes first (DI, the interceptor, `@Tasks()`). */
export function batchForCarrier(runner: TaskRunner, carrier: object | undefined, request: unknown): TaskBatch {
  const batch = findBatch(carrier);
  if (batch === undefined) return openBatch(runner, carrier, request);
  // Opened by a middleware with Fastify's Node request: the framework's request knows the route pattern.
  if (request !== carrier && batch instanceof HttpTaskBatch && typeof request === 'object' && request !== null) batch.useFrameworkRequest(request);
  return batch;
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
  // The request-scoped path (every request of the card) makes no WeakMap lookup.
  if (batch.facade === undefined) {
    batch.facade = (batch.runner.requestScoped ? undefined : sharedTasks.get(batch.runner)) ?? new BackgroundTasks(batch);
  }
  return batch.facade as BackgroundTasks;
}

/**
 * What Nest's request-scoped provider returns: the request's `BackgroundTasks`, the same instance a
 * `@Tasks()` parameter of the same request gets. Outside a request, a fresh one whose tasks run soon.
 */
export function tasksForRequest(request: unknown, runner: TaskRunner): BackgroundTasks {
  const carrier = carrierOfRequest(request);
  if (carrier === undefined) return tasksOfBatch(new UnboundTaskBatch(runner));
  const batch = batchForCarrier(runner, carrier, request);
  // A batch a Fastify middleware opened knows only the Node request; Fastify's own knows the route.
  if (request !== carrier && batch instanceof HttpTaskBatch) batch.useFrameworkRequest(request as object);
  return tasksOfBatch(batch);
}

/** Apps already warned about a `BackgroundTasks` built without a request. */
const warnedApps = new WeakSet<TaskRunner>();

/**
 * The batch of a request-scoped `BackgroundTasks` that Nest built without a request (`REQUEST` is
 * undefined): `moduleRef.resolve()` or `app.resolve()` with a context id Nest knows no request for, as
 * `ContextIdFactory.getByRequest(req)` alone gives on a route that is otherwise static. Its tasks run
 * soon, like any outside a request, which inside a request means before the response: its first task
 * warns, once per application. (Under `requestScoped: false` the singleton never gets here.)
 */
class UnboundTaskBatch extends ContextTaskBatch {
  constructor(runner: TaskRunner) {
    super(runner, undefined);
  }

  override add(task: ScheduledTask): void {
    if (!warnedApps.has(this.runner as TaskRunner)) {
      warnedApps.add(this.runner as TaskRunner);
      new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT).warn(TASKS_WITHOUT_REQUEST);
    }
    super.add(task);
  }
}
