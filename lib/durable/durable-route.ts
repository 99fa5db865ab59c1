import type { ScheduledTask } from '../runner/scheduled-task.js';
import type { TaskBatch } from '../runner/task-batch.js';

/** Sends the durable tasks of one release to the queue; gives each task its outcome; never rejects. */
export interface DurableDispatcher {
  dispatch(tasks: readonly ScheduledTask[], batch: TaskBatch): Promise<void>;
}

/** Where a durable task goes instead of the runner: its handler's name, and who enqueues it. */
export interface DurableRoute {
  readonly handler: string;
  readonly dispatcher: DurableDispatcher;
}
