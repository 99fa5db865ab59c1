import { Inject, Injectable, Logger } from '@nestjs/common';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../background-tasks.constants.js';
import { TASK_ABANDONED, TASK_AFTER_SHUTDOWN, TASK_FAILED, TASKS_DROPPED } from '../background-tasks.messages.js';
import { BACKGROUND_TASKS_MODULE_OPTIONS } from '../background-tasks.module-definition.js';
import { resolveOptions, type ResolvedBackgroundTasksOptions } from '../background-tasks.options.js';
import type { BackgroundTasksModuleOptions } from '../interfaces/background-tasks-module-options.interface.js';
import type { Task } from '../interfaces/task.interface.js';
import { describeError } from './describe-error.js';
import { TaskBatch } from './task-batch.js';

/** Which batches a wait for idleness covers. */
export type IdleScope = 'released' | 'all';

interface IdleWaiter {
  readonly scope: IdleScope;
  readonly resolve: () => void;
}

/**
 * The process-wide part of the library: it runs tasks, isolates and reports their failures, and knows
 * every batch that still has work, which is what a graceful shutdown waits for. One per application.
 */
@Injectable()
export class TaskRunner {
  readonly options: ResolvedBackgroundTasksOptions;
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  private readonly busy = new Set<TaskBatch>();
  private idleWaiters: IdleWaiter[] = [];
  private closed = false;

  constructor(@Inject(BACKGROUND_TASKS_MODULE_OPTIONS) options: BackgroundTasksModuleOptions) {
    this.options = resolveOptions(options);
  }

  /** Runs one task; never rejects, whatever the task does. */
  async run(task: Task, batch: TaskBatch): Promise<void> {
    try {
      await (task.fn as (...args: unknown[]) => unknown)(...task.args);
    } catch (error) {
      const { message, stack } = describeError(error);
      this.logger.error(`${TASK_FAILED(task.name, batch.describe())}: ${message}`, stack);
    }
  }

  /** False once the application has shut down: tasks added later are reported, not run. */
  get accepting(): boolean {
    return !this.closed;
  }

  reportRejected(task: Task, batch: TaskBatch): void {
    this.logger.error(TASK_AFTER_SHUTDOWN(task.name, batch.describe()));
  }

  reportDropped(count: number, batch: TaskBatch): void {
    this.logger.debug(TASKS_DROPPED(count, batch.describe()));
  }

  /** A batch has work (pending or running): shutdown must wait for it. */
  markBusy(batch: TaskBatch): void {
    this.busy.add(batch);
  }

  /** A batch has no work left, or its request's fate changed what it waits for. */
  markChanged(batch: TaskBatch): void {
    if (!batch.hasWork) this.busy.delete(batch);
    if (this.idleWaiters.length > 0) this.wakeIdleWaiters();
  }

  /**
   * Resolves true when no batch in `scope` has work, false at `deadline` (epoch ms). `released` leaves
   * out batches whose response has not been sent yet: their requests are still in flight.
   */
  whenIdle(scope: IdleScope, deadline: number): Promise<boolean> {
    if (this.isIdle(scope)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== entry);
        resolve(this.isIdle(scope));
      }, Math.max(0, deadline - Date.now()));
      timer.unref?.();
      const entry: IdleWaiter = {
        scope,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.idleWaiters.push(entry);
    });
  }

  /** Gives up on every task still pending or running: each is logged by name and its batch is closed. */
  abandonAll(): void {
    for (const batch of this.busy) {
      for (const { task, running } of batch.abandon()) {
        this.logger.error(TASK_ABANDONED(task.name, batch.describe(), running));
      }
    }
    this.busy.clear();
    this.wakeIdleWaiters();
  }

  /** Tasks still to finish: running, pending, and waiting for their response. */
  get outstanding(): number {
    let count = 0;
    for (const batch of this.busy) count += batch.size;
    return count;
  }

  /** Stops accepting tasks: called once the drain is over. */
  close(): void {
    this.closed = true;
  }

  private isIdle(scope: IdleScope): boolean {
    if (scope === 'all') return this.busy.size === 0;
    for (const batch of this.busy) if (batch.released) return false;
    return true;
  }

  private wakeIdleWaiters(): void {
    const waiting = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiting) {
      if (this.isIdle(waiter.scope)) waiter.resolve();
      else this.idleWaiters.push(waiter);
    }
  }
}
