import type { TaskBatch } from '../core/task-batch.js';
import type { ResolvedTaskOptions } from '../core/task-options.resolver.js';
import { scheduleTask } from '../core/schedule-task.js';
import type { TaskHandle } from '../interfaces/task-handle.interface.js';

/**
 * `tasks.with(options)`: the same `addTask` and `addAbortableTask`, with these options for the tasks
 * added through it. Keep it for as long as its `BackgroundTasks`: it adds where that one adds (the
 * request's batch; in singleton mode, the batch of the request being handled at each call).
 *
 * @publicApi
 */
export class BackgroundTasksWithOptions {
  /** @internal */
  constructor(
    private readonly tasks: { batchNow(): TaskBatch },
    private readonly options: ResolvedTaskOptions,
    private readonly name: string | undefined,
  ) {}

  /** Like `BackgroundTasks.addTask`, with this view's options; returns the task's handle. */
  addTask<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): TaskHandle {
    return scheduleTask(this.tasks.batchNow(), 'BackgroundTasks.with(...).addTask()', fn, args, this.options, this.name, false);
  }

  /** Like `BackgroundTasks.addAbortableTask`, with this view's options; returns the task's handle. */
  addAbortableTask<A extends unknown[]>(fn: (signal: AbortSignal, ...args: A) => unknown, ...args: A): TaskHandle {
    return scheduleTask(this.tasks.batchNow(), 'BackgroundTasks.with(...).addAbortableTask()', fn, args, this.options, this.name, true);
  }
}
