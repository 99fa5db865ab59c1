import type { ServerResponse } from 'node:http';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';

/**
 * What the testing kit plugs into the runner and the batches (inline and record modes). Absent in
 * production: the runner and batches check for it with one property read.
 */
export interface TaskTestSeam {
  /** A task was accepted into `batch`. */
  added(task: ScheduledTask, batch: TaskBatch): void;
  /** True when the runner must hold `task` instead of running it (record mode). */
  holds(task: ScheduledTask): boolean;
  /** Watches the response the batch waits for; `listener` must be called once it is done. */
  watchResponse(response: ServerResponse, batch: TaskBatch, listener: (aborted: boolean) => void): void;
}
