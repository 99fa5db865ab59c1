import type { TaskOwner } from './task-owner.interface.js';

/**
 * Sends the durable tasks of one release to the queue; gives each task its outcome; never rejects.
 * Generic over the task so that this file and `ScheduledTask` do not import each other.
 */
export interface DurableDispatcher<Task> {
  dispatch(tasks: readonly Task[], owner: TaskOwner): Promise<void>;
}

/** Where a durable task goes instead of the runner: its handler's name, and who enqueues it. */
export interface DurableRoute<Task> {
  readonly handler: string;
  readonly dispatcher: DurableDispatcher<Task>;
}
