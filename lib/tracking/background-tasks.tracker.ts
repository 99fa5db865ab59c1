import { Injectable, Logger } from '@nestjs/common';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import { describeValue, TASK_CANCELLED_BY_ID } from '../core/background-tasks.messages.js';
import type { TaskCancelResult, TaskStatus } from '../interfaces/task-status.interface.js';
import { cancelTask } from '../runner/cancel-task.js';
import { TaskRunner } from '../runner/task-runner.js';
import { TaskStatusStore } from './task-status.store.js';

function checkId(method: string, id: unknown): asserts id is string {
  if (typeof id !== 'string') throw new TypeError(`BackgroundTasksTracker.${method}() expects a task id (string), but received ${describeValue(id)}.`);
}

/**
 * Status and cancellation of tasks by id (`TaskHandle.id`), from anywhere in the app: a singleton, in
 * every mode. Tasks of this process come from a bounded store (module option `tracking`); durable
 * tasks, once enqueued, from Redis, whichever process added them.
 *
 * @publicApi
 */
@Injectable()
export class BackgroundTasksTracker {
  /** Plain property, not #private: instrumentation may hand consumers a Proxy of this instance. */
  private readonly store: TaskStatusStore;
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);

  /** @internal */
  constructor(private readonly runner: TaskRunner) {
    this.store = new TaskStatusStore(runner.options.tracking);
    // Under `tracking: false` the store stays empty: in-process ids read as unknown.
    if (runner.options.tracking.enabled) runner.useTracking(this.store);
  }

  /**
   * Where the task stands, or undefined when this app's store has no such id (never added here, expired,
   * evicted, or `tracking: false`) and, for durable mode, neither has Redis. Never its arguments.
   *
   * @throws TypeError when `id` is not a string. Rejects when Redis fails for an id this process does not know.
   */
  async status(id: string): Promise<TaskStatus | undefined> {
    checkId('status', id);
    const entry = this.store.get(id);
    if (entry !== undefined && entry.state !== 'enqueued') return entry.status();
    const jobs = this.runner.durableJobs;
    if (jobs === undefined) return entry?.status();
    try {
      return (await jobs.status(id)) ?? entry?.status();
    } catch (error) {
      if (entry !== undefined) return entry.status();
      throw error;
    }
  }

  /**
   * Cancels the task: see `TaskCancelResult` for what each answer means.
   *
   * @throws TypeError when `id` is not a string. Rejects when Redis fails.
   */
  async cancel(id: string): Promise<TaskCancelResult> {
    checkId('cancel', id);
    let entry = this.store.get(id);
    const task = entry?.task;
    if (entry !== undefined && task !== undefined && entry.batch !== undefined) {
      const batch = entry.batch;
      const result = cancelTask(this.runner, task, batch);
      if (result === 'cancelled' || result === 'signalled') this.logger.log(TASK_CANCELLED_BY_ID(task.name, batch.describe(), result === 'signalled'));
      if (result !== 'enqueueing') return result;
      // On its way to Redis: once there (or failed), it is cancelled there.
      await new Promise<void>((resolve) => task.handle.whenEnded(resolve));
      entry = this.store.get(id);
    }
    if (entry !== undefined && entry.state !== 'enqueued') return 'already-ended';
    const jobs = this.runner.durableJobs;
    if (jobs === undefined) return 'not-found';
    const result = await jobs.cancel(id);
    if (result === 'cancelled') this.store.cancelledInRedis(id);
    return result;
  }
}
