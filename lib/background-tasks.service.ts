import { Inject, Injectable, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { BackgroundTasksWithOptions } from './background-tasks-with-options.js';
import { carrierOfRequest } from './completion/request-carrier.js';
import type { TaskOptions } from './interfaces/task-options.interface.js';
import { scheduleTask } from './runner/schedule-task.js';
import { TaskBatch, type PendingTask } from './runner/task-batch.js';
import { checkTaskOptions, mergeTaskOptions } from './runner/task-options.resolver.js';
import { TaskRunner } from './runner/task-runner.js';
import { registerBatch } from './task-batch.registry.js';

/**
 * Work to do after the response has been sent, like FastAPI's `BackgroundTasks`. Request-scoped: every
 * controller and service that injects it during one request receives the same instance.
 *
 * @publicApi
 */
@Injectable({ scope: Scope.REQUEST })
export class BackgroundTasks {
  // Plain properties, not #private: instrumentation may hand consumers a Proxy of this instance.
  private readonly batch: TaskBatch;

  constructor(
    @Inject(REQUEST) request: unknown,
    private readonly runner: TaskRunner,
  ) {
    const carrier = carrierOfRequest(request);
    this.batch = new TaskBatch(runner, carrier, request);
    if (carrier !== undefined) registerBatch(carrier, this.batch);
  }

  /**
   * Records `fn(...args)` to run once the response has been sent. Tasks of a request run one after
   * another, in the order added; a failing task is logged and does not stop the others.
   *
   * @throws TypeError when `fn` is not a function.
   * @throws BackgroundTasksQueueFullError when `maxQueued` tasks wait and `onQueueFull` is `'reject'`.
   */
  addTask<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    scheduleTask(this.batch, 'BackgroundTasks.addTask()', fn, args, this.runner.options.defaults, undefined, false);
  }

  /**
   * Like `addTask`, but `fn` receives the attempt's `AbortSignal` first: it fires when the attempt times
   * out or is abandoned at the drain deadline. Pass it on to `fetch`, database drivers, timers.
   */
  addAbortableTask<A extends unknown[]>(fn: (signal: AbortSignal, ...args: A) => unknown, ...args: A): void {
    scheduleTask(this.batch, 'BackgroundTasks.addAbortableTask()', fn, args, this.runner.options.defaults, undefined, true);
  }

  /**
   * The same `addTask` with options for the tasks added through the returned view: `name`, `timeout`,
   * `retries`, `backoff`, `retryIf`, `runOn`, `onClientAbort`, `dedupe`.
   *
   * @throws TypeError naming the first bad option.
   */
  with(options: TaskOptions): BackgroundTasksWithOptions {
    const checked = checkTaskOptions('BackgroundTasks.with()', options);
    return new BackgroundTasksWithOptions(this.batch, mergeTaskOptions(this.runner.options.defaults, checked), checked.name);
  }

  /** Removes this request's pending (not started) tasks of that name; returns how many were removed. */
  cancel(name: string): number {
    if (typeof name !== 'string') {
      throw new TypeError(`BackgroundTasks.cancel() expects a task name (string), but received ${typeof name}.`);
    }
    return this.batch.cancel(name);
  }

  /** This request's tasks that have not started yet, in order (a frozen snapshot). */
  get pending(): readonly PendingTask[] {
    return this.batch.pending();
  }
}
