import { quoteName } from './quote-name.js';

/**
 * Thrown by `addTask` when `maxQueued` tasks are already waiting (or, for a thread task, `threads.maxQueue`
 * thread tasks wait for a thread) and `onQueueFull` is `'reject'`: the task was not added, and the caller
 * can still decide (answer 503, run it inline, enqueue it elsewhere).
 *
 * @publicApi
 */
export class BackgroundTasksQueueFullError extends Error {
  override readonly name = 'BackgroundTasksQueueFullError';

  constructor(
    readonly taskName: string,
    /** The bound that was reached: `maxQueued`, or `threads.maxQueue` for a thread task. */
    readonly maxQueued: number,
    /** Which option that bound is. */
    readonly limit: 'maxQueued' | 'threads.maxQueue' = 'maxQueued',
  ) {
    super(
      limit === 'maxQueued'
        ? `Task ${quoteName(taskName)} was not added: ${maxQueued} background tasks are already waiting (maxQueued). ` +
            `Raise maxQueued or maxConcurrent, or set onQueueFull: 'run' to accept tasks past the bound.`
        : `Thread task ${quoteName(taskName)} was not added: ${maxQueued} thread tasks are already waiting for a thread ` +
            `(threads.maxQueue). Raise threads.maxThreads or threads.maxQueue, or set onQueueFull: 'run' to accept tasks past the bound.`,
    );
  }
}
