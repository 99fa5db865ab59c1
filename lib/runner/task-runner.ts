import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { BackgroundTasksQueueFullError } from '../core/background-tasks-queue-full.error.js';
import { BACKGROUND_TASKS_EXTRAS, BACKGROUND_TASKS_MODULE_OPTIONS } from '../core/background-tasks.constants.js';
import { TASK_ABANDONED, TASK_AFTER_DEADLINE, TASK_DEPENDENCY_DROPPED, TASK_AFTER_SHUTDOWN, TASK_REPLACED, TASKS_DROPPED, TASKS_RUNAWAY } from '../core/background-tasks.messages.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import type { EndDetails, TaskBatchHost } from '../core/task-batch-host.interface.js';
import type { TaskOwner } from '../core/task-owner.interface.js';
import type { BackgroundTasksModuleExtras } from '../interfaces/background-tasks-module-extras.interface.js';
import type { BackgroundTasksModuleOptions } from '../interfaces/background-tasks-module-options.interface.js';
import type { TaskOutcome } from '../interfaces/task-info.interface.js';
import { BatchTracker, type IdleScope, type TurnEndBatch } from './batch-tracker.js';
import { wireLifecycleHooks } from './lifecycle-hooks.js';
import { resolveOptions } from './module-options.resolver.js';
import { RunnersByServer } from './runners-by-server.js';
import { TaskPlugInPoints } from './task-plug-in-points.js';
import { runAfterDependencies } from '../core/task-dependencies.js';

export type { IdleScope } from './batch-tracker.js';

/** The details of an outcome that has none (most successes): shared, not allocated per task. */
const NO_DETAILS: EndDetails = Object.freeze({});

/** Every live application's runner, found from a request by `@Tasks()`. */
const runners = new RunnersByServer<TaskRunner>();

/**
 * The process-wide part of the library, one per application: it admits tasks, runs them (timeouts,
 * retries, the concurrency limit: `TaskExecutor`), gives every task exactly one outcome, and knows every
 * batch that still has work (`BatchTracker`), which is what a graceful shutdown waits for. Plug-ins
 * (tracing, the testing kit, `@BackgroundTask` handlers, status tracking) attach through the `use*`
 * methods (`TaskPlugInPoints`).
 */
@Injectable()
export class TaskRunner extends TaskPlugInPoints implements TaskBatchHost<TaskBatch>, OnModuleInit {
  private readonly batches = new BatchTracker(this.logger);
  private closed = false;
  /** The drain deadline has passed: tasks added now could only be abandoned, so they are dropped. */
  private pastDeadline = false;

  /** See `TaskBatchHost.requestScoped`. */
  readonly requestScoped: boolean;

  constructor(
    @Inject(BACKGROUND_TASKS_MODULE_OPTIONS) options: BackgroundTasksModuleOptions,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
    @Optional() @Inject(BACKGROUND_TASKS_EXTRAS) extras?: BackgroundTasksModuleExtras,
  ) {
    super(resolveOptions(options));
    this.requestScoped = extras?.requestScoped ?? true;
    wireLifecycleHooks(this.events, this.options);
  }

  /** The runner of the application that serves `request`, or the process's only one. */
  static ofRequest(request: unknown): TaskRunner | undefined {
    return runners.ofRequest(request);
  }

  /** Lets `@Tasks()` find this runner from a request when no interceptor opened its batch. */
  onModuleInit(): void {
    runners.register(this, this.adapterHost?.httpAdapter?.getInstance());
  }

  /** False once the application has shut down: tasks added later are reported, not run. */
  get accepting(): boolean {
    return !this.closed;
  }

  /** Tasks running right now in the whole process. */
  get running(): number {
    return this.limiter.running;
  }

  /** Tasks added and not started yet (waiting for their response, their turn, or a slot). */
  get queued(): number {
    return this.notStarted;
  }

  /** Tasks still to finish: running, pending, and waiting for their response. */
  get outstanding(): number {
    return this.batches.outstanding;
  }

  /**
   * Accepts a task into `batch`, or says why not: after shutdown it is reported and dropped; with the
   * queue full it throws `BackgroundTasksQueueFullError` (policy `'reject'`), so the caller still has it.
   */
  admit(task: ScheduledTask, batch: TaskBatch): boolean {
    if (this.closed || this.pastDeadline) {
      if (this.events.observesAdd) this.events.emitAdd(task.info(batch.requestInfo()));
      this.tracking?.added(task, batch);
      const late = this.closed ? TASK_AFTER_SHUTDOWN : TASK_AFTER_DEADLINE;
      this.logger.error(late(task.name, batch.describe()));
      this.end(task, batch, 'dropped', { reason: this.closed ? 'added after shutdown' : 'added after the drain deadline' });
      return false;
    }
    if (this.notStarted >= this.options.maxQueued && this.options.onQueueFull === 'reject') {
      throw new BackgroundTasksQueueFullError(task.name, this.options.maxQueued);
    }
    this.notStarted++;
    this.tracking?.added(task, batch);
    if (this.events.observesAdd) this.events.emitAdd(task.info(batch.requestInfo()));
    this.seam?.added(task, batch);
    return true;
  }

  /**
   * Runs a task to its outcome: attempts, timeouts, retries. Returns undefined when the task is already
   * done (a plain task whose function did not return a promise), else a promise that never rejects.
   */
  execute(task: ScheduledTask, batch: TaskOwner): Promise<void> | undefined {
    if (this.seam?.holds(task)) {
      // Record mode: the task leaves the batch without running and without an outcome (yet).
      this.notStarted--;
      return undefined;
    }
    // One read for most tasks: only `with({ after })` tasks wait for others.
    if (task.options.after !== undefined) return this.afterDependencies(task, batch);
    return this.executeNow(task, batch);
  }

  /**
   * Runs a task the test seam held (record mode), now that the test asks for it. A dependent whose
   * dependencies are still held runs without waiting for them (the test decides the order).
   */
  runHeld(task: ScheduledTask, batch: TaskBatch): Promise<void> {
    this.notStarted++;
    const waits = task.options.after?.every((handle) => handle.ended) === true;
    return (waits ? this.afterDependencies(task, batch) : this.executeNow(task, batch)) ?? Promise.resolve();
  }

  private afterDependencies(task: ScheduledTask, batch: TaskOwner): Promise<void> | undefined {
    return runAfterDependencies(task, {
      run: () => this.executeNow(task, batch),
      end: (outcome, details) => {
        // 'abandoned' (the drain deadline) is logged by `end` itself.
        if (outcome === 'dropped') this.logger.debug(TASK_DEPENDENCY_DROPPED(task.name, batch.describe(), details.reason ?? ''));
        this.end(task, batch, outcome, details);
      },
    });
  }

  /**
   * Records a task's outcome, once: logs it (never its arguments), tells the listeners and `onTaskError`.
   * Later calls for the same task are ignored, so racing paths (timeout vs. drain) cannot count it twice.
   */
  end(task: ScheduledTask, batch: TaskOwner, outcome: TaskOutcome, extra: EndDetails = NO_DETAILS): void {
    if (task.ended) return;
    task.outcome = outcome;
    if (!task.started) this.notStarted--;
    task.controller = undefined;
    task.interrupt = undefined;
    // Hooks, tracing and onTaskError get a TaskEndInfo; a plain runner does not build one per task.
    const observed = this.events.observed || this.instrumentation !== undefined;
    const needsInfo = observed || (this.options.onTaskError !== undefined && (outcome === 'failed' || outcome === 'timed-out'));
    // No clock read for a success nobody reports (the logger reads it if it prints the line).
    const durationMs = needsInfo || outcome !== 'succeeded' ? task.durationMs() : undefined;
    const info = needsInfo ? task.endInfo(batch.requestInfo(), outcome, extra, durationMs) : undefined;
    if (outcome === 'succeeded') {
      this.lifecycle.succeeded(task, batch, durationMs);
    } else if (outcome === 'failed' || outcome === 'timed-out') {
      if (outcome === 'failed') this.lifecycle.failed(task, batch, extra.error, durationMs ?? task.durationMs());
      else this.lifecycle.timedOut(task, batch, durationMs ?? task.durationMs());
      if (this.options.onTaskError && info) {
        const hook = this.options.onTaskError;
        this.events.call('onTaskError', (endInfo) => hook(extra.error, endInfo), info);
      }
    } else if (outcome === 'abandoned') {
      this.logger.error(TASK_ABANDONED(task.name, batch.describe(), task.started));
    } else if (outcome === 'cancelled' && extra.reason === 'replaced') {
      this.logger.debug(TASK_REPLACED(task.name, batch.describe()));
    }
    if (info !== undefined) {
      this.instrumentation?.ended(task, info);
      this.events.emitEnd(info);
    }
    this.tracking?.ended(task, outcome, extra);
    // Last: its dependents may now run (or end dropped, which they report after this end).
    task.handle.settle(outcome);
  }

  reportDropped(count: number, batch: TaskOwner, reason: string): void {
    this.logger.debug(TASKS_DROPPED(count, batch.describe(), reason));
  }

  reportRunaway(batch: TaskOwner, count: number): void {
    this.logger.warn(TASKS_RUNAWAY(count, batch.describe()));
  }

  releaseAtTurnEnd(batch: TurnEndBatch): void {
    this.batches.releaseAtTurnEnd(batch);
  }

  markBusy(batch: TaskBatch): void {
    this.batches.markBusy(batch);
  }

  markChanged(batch: TaskBatch): void {
    this.batches.markChanged(batch);
  }

  /** See `BatchTracker.whenIdle`. */
  whenIdle(scope: IdleScope, deadline: number): Promise<boolean> {
    return this.batches.whenIdle(scope, deadline);
  }

  /** Gives up on every task still pending or running: each is aborted, logged by name, and counted. */
  abandonAll(): void {
    this.batches.abandonAll();
  }

  /** The drain deadline has passed: tasks added from now on are logged and dropped, never queued. */
  refuseLateTasks(): void {
    this.pastDeadline = true;
  }

  /** Stops accepting tasks: called once the drain is over. */
  close(): void {
    this.closed = true;
    runners.unregister(this);
  }
}
