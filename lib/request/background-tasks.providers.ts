import { Scope, type FactoryProvider } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { IncomingMessage } from 'node:http';
import type { TaskBatch } from '../core/task-batch.js';
import { TaskRunner } from '../runner/task-runner.js';
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

/** The one `BackgroundTasks` of a batch. */
export function tasksOfBatch(batch: TaskBatch): BackgroundTasks {
  return (batch.facade ??= new BackgroundTasks(batch)) as BackgroundTasks;
}

/**
 * What Nest's request-scoped provider returns: the request's `BackgroundTasks`, the same instance a
 * `@Tasks()` parameter of the same request gets. Outside a request, a fresh one whose tasks run at once.
 */
export function tasksForRequest(request: unknown, runner: TaskRunner): BackgroundTasks {
  return tasksOfBatch(batchForCarrier(runner, carrierOfRequest(request), request));
}

/** `BackgroundTasks`, request-scoped: every provider that injects it in one request shares one batch. */
export const backgroundTasksProvider: FactoryProvider<BackgroundTasks> = {
  provide: BackgroundTasks,
  scope: Scope.REQUEST,
  inject: [REQUEST, TaskRunner],
  useFactory: tasksForRequest,
};
