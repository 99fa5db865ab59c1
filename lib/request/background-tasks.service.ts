import { scheduleTask } from '../core/schedule-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import { checkTaskOptions, mergeTaskOptions } from '../core/task-options.resolver.js';
import type { PendingTask } from '../interfaces/pending-task.interface.js';
import type { TaskHandle } from '../interfaces/task-handle.interface.js';
import type { TaskOptions } from '../interfaces/task-options.interface.js';
import { BackgroundTasksWithOptions } from './background-tasks-with-options.js';

/**
 * Work to do after the response has been sent, like FastAPI's `BackgroundTasks`. Every call acts on the
 * batch of the request being handled: by default the instance is request-scoped (every controller and
 * service that injects it during one request, and every `@Tasks()` parameter, receives the same one);
 * with `forRoot({ requestScoped: false })` it is one singleton that finds the request through
 * AsyncLocalStorage.
 *
 * @publicApi
 */
export class BackgroundTasks {
  /**
   * @internal Nest provides instances (request-scoped), and `@Tasks()` hands out the same one; there is
   * no reason to construct one yourself.
   */
  // Plain property, not #private: instrumentation may hand consumers a Proxy of this instance.
  constructor(private readonly batch?: TaskBatch) {}

  /** @internal The batch calls act on now: this instance's own, or the current request's (singleton mode). */
  batchNow(): TaskBatch {
    return this.batch as TaskBatch;
  }

  /**
   * Records `fn(...args)` to run once the response has been sent. Tasks of a request run one after
   * another, in the order added; a failing task is logged and does not stop the others. Returns the
   * task's handle: its `id` (for `BackgroundTasksTracker`) and `name`; ignoring it is fine.
   *
   * @throws TypeError when `fn` is not a function.
   * @throws BackgroundTasksQueueFullError when `maxQueued` tasks wait and `onQueueFull` is `'reject'`.
   */
  addTask<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): TaskHandle {
    const batch = this.batchNow();
    return scheduleTask(batch, 'BackgroundTasks.addTask()', fn, args, batch.runner.options.defaults, undefined, false);
  }

  /**
   * Like `addTask`, but `fn` receives the attempt's `AbortSignal` first: it fires when the attempt times
   * out, is abandoned at the drain deadline, or is cancelled by id (`BackgroundTasksTracker.cancel()`).
   * Pass it on to `fetch`, database drivers, timers. Returns the task's handle.
   */
  addAbortableTask<A extends unknown[]>(fn: (signal: AbortSignal, ...args: A) => unknown, ...args: A): TaskHandle {
    const batch = this.batchNow();
    return scheduleTask(batch, 'BackgroundTasks.addAbortableTask()', fn, args, batch.runner.options.defaults, undefined, true);
  }

  /**
   * The same `addTask` with options for the tasks added through the returned view: `name`, `timeout`,
   * `retries`, `backoff`, `retryIf`, `runOn`, `onClientAbort`, `dedupe`, and `after` /
   * `ifDependencyFails` to run them after other tasks.
   *
   * @throws TypeError naming the first bad option (`after`: not a handle of this app's `addTask`).
   */
  with(options: TaskOptions): BackgroundTasksWithOptions {
    const runner = this.batchNow().runner;
    const checked = checkTaskOptions('BackgroundTasks.with()', options, false, runner);
    return new BackgroundTasksWithOptions(this, mergeTaskOptions(runner.options.defaults, checked), checked.name);
  }

  /** Removes this request's pending (not started) tasks of that name; returns how many were removed. */
  cancel(name: string): number {
    if (typeof name !== 'string') {
      throw new TypeError(`BackgroundTasks.cancel() expects a task name (string), but received ${typeof name}.`);
    }
    return this.batchNow().cancel(name);
  }

  /** This request's tasks that have not started yet, in order (a frozen snapshot). */
  get pending(): readonly PendingTask[] {
    return this.batchNow().pending();
  }
}
