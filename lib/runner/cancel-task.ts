import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import { CANCELLED_BY_ID } from '../core/task-batch-host.interface.js';
import type { TaskCancelResult } from '../interfaces/task-status.interface.js';
import type { TaskRunner } from './task-runner.js';

/** What cancelling a task of this process did; `'enqueueing'`: a durable task on its way to Redis. */
export type LiveCancelResult = Exclude<TaskCancelResult, 'not-found'> | 'enqueueing';

/**
 * Cancels a task of this process by id. Pending in its batch: removed. Waiting for its dependencies, for
 * a concurrency slot or for its next attempt: it ends there. Running: it ends `cancelled` now and its
 * attempt is interrupted (the `AbortSignal` of an `addAbortableTask` task fires; the batch moves on even
 * if the function keeps running). A durable task being enqueued cannot be stopped half-way.
 */
export function cancelTask(runner: TaskRunner, task: ScheduledTask, batch: TaskBatch): LiveCancelResult {
  if (task.ended) return 'already-ended';
  const attemptRunning = task.started && !task.retrying;
  const interrupt = task.interrupt;
  if (!task.started && interrupt === undefined) {
    const removed = batch.removeWhere((queued) => queued === task);
    if (removed.length === 0 && task.durable !== undefined && !runner.runsDurableInProcess) return 'enqueueing';
    runner.end(task, batch, 'cancelled', CANCELLED_BY_ID);
    if (removed.length > 0) runner.markChanged(batch);
    return 'cancelled';
  }
  runner.end(task, batch, 'cancelled', CANCELLED_BY_ID);
  interrupt?.(new DOMException('Cancelled by id', 'AbortError'));
  batch.letGo(task);
  return attemptRunning ? 'signalled' : 'cancelled';
}
