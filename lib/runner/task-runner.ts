import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { BackgroundTasksQueueFullError } from '../background-tasks-queue-full.error.js';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../background-tasks.constants.js';
import { TASK_ABANDONED, TASK_AFTER_SHUTDOWN, TASK_REPLACED, TASKS_DROPPED } from '../background-tasks.messages.js';
import { BACKGROUND_TASKS_MODULE_OPTIONS } from '../background-tasks.module-definition.js';
import { resolveOptions, type ResolvedBackgroundTasksOptions } from '../background-tasks.options.js';
import type { BackgroundTasksModuleOptions } from '../interfaces/background-tasks-module-options.interface.js';
import type { TaskHandlerLookup } from '../durable/task-handler.lookup.js';
import type { TaskOutcome } from '../interfaces/task-info.interface.js';
import { wireLifecycleHooks } from '../observability/lifecycle-hooks.js';
import { TaskLifecycleLogger } from '../observability/task-lifecycle.logger.js';
import { TaskTestHarness } from '../testing/task-test-harness.js';
import { BusyBatches } from './busy-batches.js';
import { DeferredReleases } from './deferred-releases.js';
import { isThenable } from './is-thenable.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { describeError } from './describe-error.js';
import type { ScheduledTask } from './scheduled-task.js';
import type { TaskBatch } from './task-batch.js';
import { TaskEvents } from './task-events.js';
import { registerRunner, unregisterRunner } from './task-runners.registry.js';
import type { TaskInstrumentation } from './task-instrumentation.interface.js';
import type { TaskRunnerTestSeam } from './task-runner-test-seam.interface.js';

/** Which batches a wait for idleness covers: released ones, all, or just this one. */
export type IdleScope = 'released' | 'all' | TaskBatch;

interface IdleWaiter {
  readonly scope: IdleScope;
  readonly resolve: () => void;
}

/** What an outcome may carry besides itself. */
interface EndDetails {
  readonly reason?: string;
  readonly error?: unknown;
}

/** The details of an outcome that has none (most successes): shared, not allocated per task. */
const NO_DETAILS: EndDetails = Object.freeze({});

type AttemptResult = { ok: true } | { ok: false; error: unknown; timedOut: boolean } | { ok: false; abandoned: true };

/**
 * The process-wide part of the library: it runs tasks (timeouts, retries, the process-wide concurrency
 * limit), gives every task exactly one outcome, and knows every batch that still has work, which is what
 * a graceful shutdown waits for. One per application.
 */
@Injectable()
export class TaskRunner implements OnModuleInit {
  readonly options: ResolvedBackgroundTasksOptions;
  readonly events = new TaskEvents();
  /** Tracing, when on; set by `TaskTracing` at module init. */
  instrumentation?: TaskInstrumentation;
  /** Inline and record modes, when on; set by the testing kit or the `testMode` option. */
  testSeam?: TaskRunnerTestSeam;
  /** The app's `@BackgroundTask` handlers, which `addTask` recognizes; set by `TaskHandlerRegistry`. */
  handlers?: TaskHandlerLookup;
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  private readonly lifecycle: TaskLifecycleLogger;
  private readonly limiter: ConcurrencyLimiter;
  private readonly busy = new BusyBatches();
  private readonly deferredReleases = new DeferredReleases<TaskBatch>(this.logger);
  private idleWaiters: IdleWaiter[] = [];
  private notStarted = 0;
  private closed = false;

  constructor(
    @Inject(BACKGROUND_TASKS_MODULE_OPTIONS) options: BackgroundTasksModuleOptions,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.options = resolveOptions(options);
    this.limiter = new ConcurrencyLimiter(this.options.maxConcurrent);
    this.lifecycle = new TaskLifecycleLogger(this.options.logLevels);
    wireLifecycleHooks(this.events, this.options);
    if (this.options.testMode !== 'background') this.testSeam = new TaskTestHarness(this, this.options.testMode);
  }

  /** Lets `@Tasks()` find this runner from a request when no interceptor opened its batch. */
  onModuleInit(): void {
    registerRunner(this, this.adapterHost?.httpAdapter?.getInstance());
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

  /**
   * Accepts a task into `batch`, or says why not: after shutdown it is reported and dropped; with the
   * queue full it throws `BackgroundTasksQueueFullError` (policy `'reject'`), so the caller still has it.
   */
  admit(task: ScheduledTask, batch: TaskBatch): boolean {
    if (this.closed) {
      if (this.events.observesAdd) this.events.emitAdd(task.info(batch.requestInfo()));
      this.logger.error(TASK_AFTER_SHUTDOWN(task.name, batch.describe()));
      this.end(task, batch, 'dropped', { reason: 'added after shutdown' });
      return false;
    }
    if (this.notStarted >= this.options.maxQueued && this.options.onQueueFull === 'reject') {
      throw new BackgroundTasksQueueFullError(task.name, this.options.maxQueued);
    }
    this.notStarted++;
    if (this.events.observesAdd) this.events.emitAdd(task.info(batch.requestInfo()));
    this.testSeam?.added(task, batch);
    return true;
  }

  /** Runs a task the test seam held (record mode), now that the test asks for it. */
  runHeld(task: ScheduledTask, batch: TaskBatch): Promise<void> {
    this.notStarted++;
    return this.execute(task, batch) ?? Promise.resolve();
  }

  /**
   * Runs a task to its outcome: attempts, timeouts, retries. Returns undefined when the task is already
   * done (a plain task whose function did not return a promise), else a promise that never rejects.
   */
  execute(task: ScheduledTask, batch: TaskBatch): Promise<void> | undefined {
    if (this.testSeam?.holds(task)) {
      // Record mode: the task leaves the batch without running and without an outcome (yet).
      this.notStarted--;
      return undefined;
    }
    if (this.runsPlain(task) && this.limiter.tryAcquire()) return this.executeOnce(task, batch);
    return this.executeWithControl(task, batch);
  }

  /** No timeout, no retries, no signal, no tracing: one attempt needs no timer, race or promise of ours. */
  private runsPlain(task: ScheduledTask): boolean {
    return task.options.timeout === 0 && task.options.retries === 0 && !task.passSignal && this.instrumentation === undefined;
  }

  /** One attempt of a plain task, its concurrency slot already held. */
  private executeOnce(task: ScheduledTask, batch: TaskBatch): Promise<void> | undefined {
    if (task.ended) {
      this.limiter.release();
      return undefined;
    }
    this.beginAttempt(task, batch, 1);
    let returned: unknown;
    try {
      returned = task.call();
    } catch (error) {
      this.limiter.release();
      this.end(task, batch, 'failed', { error });
      return undefined;
    }
    if (!isThenable(returned)) {
      this.limiter.release();
      this.end(task, batch, 'succeeded');
      return undefined;
    }
    let settled = false;
    const finish = (outcome: 'succeeded' | 'failed' | 'abandoned', error?: unknown) => {
      if (settled) return;
      settled = true;
      task.interrupt = undefined;
      // The slot frees when the promise settles or the drain abandons the task, whichever comes first.
      this.limiter.release();
      if (outcome === 'succeeded') this.end(task, batch, 'succeeded');
      else if (outcome === 'failed') this.end(task, batch, 'failed', { error });
    };
    task.interrupt = () => finish('abandoned');
    return Promise.resolve(returned).then(
      () => finish('succeeded'),
      (error: unknown) => finish('failed', error),
    );
  }

  private async executeWithControl(task: ScheduledTask, batch: TaskBatch): Promise<void> {
    try {
      const max = task.options.retries + 1;
      for (let attempt = 1; attempt <= max; attempt++) {
        const result = await this.attempt(task, batch, attempt);
        if (result.ok) return this.end(task, batch, 'succeeded');
        if ('abandoned' in result) return;
        const retry = attempt < max && this.shouldRetry(task, result.error);
        if (!retry) {
          return this.end(task, batch, result.timedOut ? 'timed-out' : 'failed', { error: result.error });
        }
        const delay = Math.max(0, task.options.backoff(attempt, result.error));
        this.lifecycle.retrying(task, batch, result.error, delay);
        await this.pause(task, delay);
        if (task.ended) return;
      }
    } catch (error) {
      // Only a bug of this library lands here; the task still gets an outcome.
      this.end(task, batch, 'failed', { error });
    }
  }

  /**
   * Records a task's outcome, once: logs it (never its arguments), tells the listeners and `onTaskError`.
   * Later calls for the same task are ignored, so racing paths (timeout vs. drain) cannot count it twice.
   */
  end(task: ScheduledTask, batch: TaskBatch, outcome: TaskOutcome, extra: EndDetails = NO_DETAILS): void {
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
    if (info === undefined) return;
    this.instrumentation?.ended(task, info);
    this.events.emitEnd(info);
  }

  reportDropped(count: number, batch: TaskBatch, reason: string): void {
    this.logger.debug(TASKS_DROPPED(count, batch.describe(), reason));
  }

  /** Releases `batch` once the I/O callbacks of this turn of the event loop have run. */
  releaseAtTurnEnd(batch: TaskBatch): void {
    this.deferredReleases.add(batch);
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
      // Kept referenced: a task hung on a promise holds no handle, and the deadline must still come.
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== entry);
        resolve(this.isIdle(scope));
      }, Math.max(0, deadline - Date.now()));
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

  /** Tasks still to finish: running, pending, and waiting for their response. */
  get outstanding(): number {
    let count = 0;
    for (const batch of this.batchesWithWork()) count += batch.size;
    return count;
  }

  /** Gives up on every task still pending or running: each is aborted, logged by name, and counted. */
  abandonAll(): void {
    for (const batch of this.batchesWithWork()) batch.abandon();
    this.busy.clear();
    this.wakeIdleWaiters();
  }

  /** Stops accepting tasks: called once the drain is over. */
  close(): void {
    this.closed = true;
    unregisterRunner(this);
  }

  private async attempt(task: ScheduledTask, batch: TaskBatch, attempt: number): Promise<AttemptResult> {
    if (!this.limiter.tryAcquire()) await this.limiter.acquire();
    try {
      if (task.ended) return { ok: false, abandoned: true };
      this.beginAttempt(task, batch, attempt);
      return await this.raceAttempt(task, batch);
    } finally {
      // The slot frees when the attempt settles, times out, or is abandoned, even if the function
      // itself never returns.
      this.limiter.release();
    }
  }

  private beginAttempt(task: ScheduledTask, batch: TaskBatch, attempt: number): void {
    if (!task.started) {
      this.notStarted--;
      task.startedAt = performance.now();
    }
    task.attempt = attempt;
    this.lifecycle.started(task, batch);
    if (this.events.observed) this.events.emitStart(task.info(batch.requestInfo()));
  }

  /**
   * Settles on the first of: the task's promise, its timeout, or an interruption (drain deadline). Only
   * `addAbortableTask` tasks get an AbortController: a plain task could not see its signal anyway.
   */
  private raceAttempt(task: ScheduledTask, batch: TaskBatch): Promise<AttemptResult> {
    return new Promise<AttemptResult>((resolve) => {
      const controller = task.passSignal ? new AbortController() : undefined;
      task.controller = controller;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        task.interrupt = undefined;
        resolve(result);
      };
      task.interrupt = (reason) => {
        controller?.abort(reason);
        settle({ ok: false, abandoned: true });
      };
      const { timeout } = task.options;
      if (timeout > 0) {
        timer = setTimeout(() => {
          const error = new DOMException(`Task "${task.name}" timed out after ${timeout} ms`, 'TimeoutError');
          settle({ ok: false, error, timedOut: true });
          controller?.abort(error);
        }, timeout);
      }
      const tracing = this.instrumentation;
      const around = tracing && (<R>(run: () => R) => tracing.around(task, batch, run));
      task.invoke(controller?.signal, around).then(
        () => settle({ ok: true }),
        (error: unknown) => settle({ ok: false, error, timedOut: false }),
      );
    });
  }


  private shouldRetry(task: ScheduledTask, error: unknown): boolean {
    try {
      return task.options.retryIf(error) === true;
    } catch (hookError) {
      const { message, stack } = describeError(hookError);
      this.logger.error(`The retryIf hook threw for task "${task.name}": ${message}`, stack);
      return false;
    }
  }

  /** Waits between attempts, cut short when the task is abandoned. */
  private pause(task: ScheduledTask, delay: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, delay);
      task.interrupt = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Every batch with work: the busy set, and those awaiting their turn-end look. */
  private batchesWithWork(): Set<TaskBatch> {
    return new Set([...this.busy.toArray(), ...this.awaitingLookWithWork()]);
  }

  /** Batches with work that are not in the busy set yet: their turn-end look adds them (`TaskBatch.add`). */
  private awaitingLookWithWork(): TaskBatch[] {
    return this.deferredReleases.toArray().filter((batch) => batch.hasWork);
  }

  private isIdle(scope: IdleScope): boolean {
    if (scope === 'all') return this.busy.size === 0 && this.awaitingLookWithWork().length === 0;
    if (scope !== 'released') return !scope.hasWork;
    return !this.busy.some((batch) => batch.released);
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
