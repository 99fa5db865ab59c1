import type { QueueTarget } from './queue-target.js';

/** The `failedReason` of a job cancelled by id: a status shows it as `cancelled`. */
export const CANCELLED_BY_ID_REASON = 'cancelled by id';

/** The Redis channel on which `BackgroundTasksTracker.cancel()` names active jobs to cancel, per queue. */
export function cancelChannel(target: QueueTarget): string {
  return `${target.prefix ?? 'bull'}:${target.name}:nestjs-background-tasks:cancel`;
}
