import type { BullBackend, BullRedisClient } from './bullmq.types.js';
import type { QueueTarget } from './queue-target.js';

/** The `failedReason` of a job cancelled by id: a status shows it as `cancelled`. */
export const CANCELLED_BY_ID_REASON = 'cancelled by id';

/** The Redis channel on which `BackgroundTasksTracker.cancel()` names active jobs to cancel, per queue. */
export function cancelChannel(target: QueueTarget): string {
  return `${target.prefix ?? 'bull'}:${target.name}:nestjs-background-tasks:cancel`;
}

/** The Redis client of a queue or worker, to publish or subscribe cancels on. */
export function redisClientOf(owner: { getBackend?(): BullBackend; readonly client?: Promise<BullRedisClient> }): Promise<BullRedisClient> {
  const client = owner.getBackend?.().client ?? owner.client;
  return client ?? Promise.reject(new Error('this BullMQ version exposes no Redis client'));
}
