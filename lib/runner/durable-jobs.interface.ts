import type { TaskCancelResult, TaskStatus } from '../interfaces/task-status.interface.js';

/**
 * What the durable plug-in offers status tracking (`BackgroundTasksTracker`): a job's status read from
 * Redis, and its cancellation (a waiting job removed, an active one signalled on its worker). Absent
 * unless durable mode is on.
 */
export interface DurableJobs {
  status(id: string): Promise<TaskStatus | undefined>;
  /** `'not-found'` when Redis has no job of that id. */
  cancel(id: string): Promise<TaskCancelResult>;
}
