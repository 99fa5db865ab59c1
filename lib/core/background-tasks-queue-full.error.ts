import { quoteName } from './quote-name.js';

/**
 * Thrown by `addTask` when `maxQueued` tasks are already waiting and `onQueueFull` is `'reject'`: the task
 * was not added, and the caller can still decide (answer 503, run it inline, enqueue it elsewhere).
 *
 * @publicApi
 */
export class BackgroundTasksQueueFullError extends Error {
  override readonly name = 'BackgroundTasksQueueFullError';

  constructor(
    readonly taskName: string,
    readonly maxQueued: number,
  ) {
    super(
      `Task ${quoteName(taskName)} was not added: ${maxQueued} background tasks are already waiting (maxQueued). ` +
        `Raise maxQueued or maxConcurrent, or set onQueueFull: 'run' to accept tasks past the bound.`,
    );
  }
}
