import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import type { EndDetails } from '../core/task-batch-host.interface.js';
import type { TaskOutcome } from '../interfaces/task-info.interface.js';

/**
 * What status tracking plugs into the runner (`BackgroundTasksTracker`'s store): told of every task
 * accepted and of its outcome. The store reads the rest (attempt, start) from the live task itself, so
 * starts and retries cost it nothing.
 */
export interface TaskTracking {
  /** Successes carry what the function returned (`EndDetails.result`). */
  readonly keepsResults: boolean;
  added(task: ScheduledTask, batch: TaskBatch): void;
  ended(task: ScheduledTask, outcome: TaskOutcome, details: EndDetails): void;
}
