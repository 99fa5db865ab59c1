import type { RunOn } from './task-options.interface.js';

/**
 * A task waiting in a request's batch, as `tasks.pending` shows it.
 *
 * @publicApi
 */
export interface PendingTask {
  /** The id of its handle. */
  readonly id: string;
  readonly name: string;
  readonly runOn: RunOn;
}
