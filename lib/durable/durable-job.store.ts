import type { Logger } from '@nestjs/common';
import { clipMessage } from '../core/bounded-text.js';
import { quoteName } from '../core/quote-name.js';
import type { TaskCancelResult, TaskState, TaskStatus } from '../interfaces/task-status.interface.js';
import type { DurableJobs } from '../runner/durable-jobs.interface.js';
import type { BullJob, BullQueue } from './bullmq.types.js';
import { readPayload } from './durable-job.payload.js';
import { CANCELLED_BY_ID_REASON, cancelChannel, redisClientOf } from './job-cancellation.js';
import type { QueueTarget } from './queue-target.js';

/** A BullMQ job state as a task state (see `TaskState`). */
function stateOf(job: BullJob, state: string): TaskState | undefined {
  switch (state) {
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'waiting';
    case 'delayed':
      return job.attemptsMade > 0 ? 'retrying' : 'waiting';
    case 'active':
      return 'active';
    case 'completed':
      return 'completed';
    case 'failed':
      if (job.failedReason === CANCELLED_BY_ID_REASON) return 'cancelled';
      // BullMQ's words for a parent failed by its child (failParentOnFailure).
      return /^child .+ failed$/.test(job.failedReason ?? '') ? 'dropped' : 'failed';
    default:
      return undefined;
  }
}

/**
 * Durable jobs by id in Redis, for `BackgroundTasksTracker`: their status (whichever process added or
 * runs them) and their cancellation. A waiting job is removed; an active one is signalled on the worker
 * that runs it, through a Redis channel every worker of the queue listens to (BullMQ's
 * `Worker.cancelJob()` acts only on its own process).
 */
export class DurableJobStore implements DurableJobs {
  constructor(
    private readonly queue: BullQueue,
    private readonly target: QueueTarget,
    private readonly logger: Logger,
  ) {}

  async status(id: string): Promise<TaskStatus | undefined> {
    const job = await this.queue.getJob(id);
    if (job === undefined || job === null) return undefined;
    const state = stateOf(job, await job.getState());
    if (state === undefined) return undefined;
    const payload = readPayload(job.data);
    const failed = state === 'failed' || state === 'dropped';
    const reason = job.failedReason ?? '';
    const attempts = job.attemptsStarted ?? job.attemptsMade + (state === 'active' ? 1 : 0);
    return {
      id,
      name: payload?.task ?? job.name,
      state,
      attempts,
      maxAttempts: Math.max(1, Number(job.opts?.attempts) || 1),
      addedAt: job.timestamp ?? 0,
      ...(job.processedOn ? { startedAt: job.processedOn } : {}),
      ...(job.finishedOn ? { endedAt: job.finishedOn } : {}),
      ...(failed ? { error: { name: 'Error', message: clipMessage(reason) } } : {}),
      ...(state === 'completed' && job.returnvalue !== undefined && job.returnvalue !== null ? { result: job.returnvalue } : {}),
      durable: true,
      ...(payload?.request ? { request: { method: payload.request.method, route: payload.request.route } } : {}),
    };
  }

  async cancel(id: string): Promise<TaskCancelResult> {
    const job = await this.queue.getJob(id);
    if (job === undefined || job === null) return 'not-found';
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') return 'already-ended';
    if (state !== 'active') {
      try {
        await job.remove();
        return 'cancelled';
      } catch {
        // Taken by a worker meanwhile (a locked job cannot be removed): signal it there.
      }
    }
    const client = await redisClientOf(this.queue);
    await client.publish(cancelChannel(this.target), id);
    this.logger.debug(`Durable task ${quoteName(id)} signalled for cancellation on the workers of queue "${this.target.name}"`);
    return 'signalled';
  }
}
