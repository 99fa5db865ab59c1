import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import { ConcurrencyLimiter } from '../core/concurrency-limiter.js';
import { describeError } from '../core/describe-error.js';
import { hasThenMethod } from '../core/is-thenable.js';
import { startTimer, stopTimer, type TimerHandle } from '../core/long-timer.js';
import { quoteName } from '../core/quote-name.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { EndDetails } from '../core/task-batch-host.interface.js';
import type { TaskOwner } from '../core/task-owner.interface.js';
import { retryPause } from '../core/task-options.resolver.js';
import type { TaskOutcome } from '../interfaces/task-info.interface.js';
import type { ResolvedBackgroundTasksOptions } from './module-options.resolver.js';
import { TaskEvents } from './task-events.js';
import type { TaskInstrumentation } from './task-instrumentation.interface.js';
import { TaskLifecycleLogger } from './task-lifecycle.logger.js';
import { LoopBlockDetector } from './loop-block.detector.js';

type AttemptResult = { ok: true; value: unknown } | { ok: false; error: unknown; timedOut: boolean } | { ok: false; abandoned: true };

/**
 * How one task runs: its attempts, their timeouts and the pauses between retries, under the process-wide
 * concurrency limit. `TaskRunner` extends it with admission, the outcome ledger and the busy set; this
 * part only ever ends a task through `end()`.
 */
export abstract class TaskExecutor {
  readonly events = new TaskEvents();
  protected readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  protected readonly lifecycle: TaskLifecycleLogger;
  protected readonly limiter: ConcurrencyLimiter;
  /** Warns about tasks whose synchronous run blocked the event loop (`loopBlockWarning`). */
  protected readonly loopBlocks: LoopBlockDetector;
  /** Tasks added and not started yet. */
  protected notStarted = 0;
  /** Tracing, when on (`useInstrumentation`). */
  protected instrumentation?: TaskInstrumentation = undefined;
  /** Status tracking keeps what tasks return (`tracking.results`): successes then carry the value. */
  protected keepResults = false;

  constructor(readonly options: ResolvedBackgroundTasksOptions) {
    this.limiter = new ConcurrencyLimiter(options.maxConcurrent);
    this.lifecycle = new TaskLifecycleLogger(options.logLevels);
    this.loopBlocks = new LoopBlockDetector(options.loopBlockWarning, this.logger);
  }

  /** Records a task's outcome, once. */
  abstract end(task: ScheduledTask, batch: TaskOwner, outcome: TaskOutcome, extra?: EndDetails): void;

  /** Runs a task: undefined when it is already done (a plain task that did not return a promise). */
  protected executeNow(task: ScheduledTask, batch: TaskOwner): Promise<void> | undefined {
    if (this.runsPlain(task) && this.limiter.tryAcquire()) return this.executeOnce(task, batch);
    return this.executeWithControl(task, batch);
  }

  /**
   * No timeout, no retries, no signal, no tracing, not a thread task: one attempt needs no timer, race
   * or promise of ours.
   */
  private runsPlain(task: ScheduledTask): boolean {
    return (
      task.options.timeout === 0 && task.options.retries === 0 && !task.passSignal && this.instrumentation === undefined && task.thread === undefined
    );
  }

  /** One attempt of a plain task, its concurrency slot already held. */
  private executeOnce(task: ScheduledTask, batch: TaskOwner): Promise<void> | undefined {
    if (task.ended) {
      this.limiter.release();
      return undefined;
    }
    this.beginAttempt(task, batch, 1);
    let returned: unknown;
    let thenable: boolean;
    // How long the loop was held: from the start `beginAttempt` just read (this is the first and only
    // attempt) to one more clock read after the call; none with `loopBlockWarning: false`.
    const threshold = this.loopBlocks.threshold;
    const calledAt = task.startedAt as number;
    try {
      returned = task.call();
      // A `then` getter that throws fails the task, as `await` would reject with it.
      thenable = hasThenMethod(returned);
    } catch (error) {
      if (threshold !== Infinity) this.measureSyncRun(task, batch, calledAt);
      this.limiter.release();
      this.end(task, batch, 'failed', { error });
      return undefined;
    }
    if (threshold !== Infinity) this.measureSyncRun(task, batch, calledAt);
    if (!thenable) {
      this.limiter.release();
      this.end(task, batch, 'succeeded', this.keepResults ? { result: returned } : undefined);
      return undefined;
    }
    let settled = false;
    const finish = (outcome: 'succeeded' | 'failed' | 'abandoned', error?: unknown, value?: unknown) => {
      if (settled) return;
      settled = true;
      task.interrupt = undefined;
      // The slot frees when the promise settles or the drain abandons the task, whichever comes first.
      this.limiter.release();
      if (outcome === 'succeeded') this.end(task, batch, 'succeeded', this.keepResults ? { result: value } : undefined);
      else if (outcome === 'failed') this.end(task, batch, 'failed', { error });
    };
    task.interrupt = () => finish('abandoned');
    return Promise.resolve(returned).then(
      (value) => finish('succeeded', undefined, value),
      (error: unknown) => finish('failed', error),
    );
  }

  private async executeWithControl(task: ScheduledTask, batch: TaskOwner): Promise<void> {
    try {
      const max = task.options.retries + 1;
      for (let attempt = 1; attempt <= max; attempt++) {
        const result = await this.attempt(task, batch, attempt);
        if (result.ok) return this.end(task, batch, 'succeeded', this.keepResults ? { result: result.value } : undefined);
        if ('abandoned' in result) return;
        const retry = attempt < max && this.shouldRetry(task, result.error);
        const delay = retry ? retryPause(task.options.backoff(attempt, result.error)) : undefined;
        if (delay === undefined) {
          return this.end(task, batch, result.timedOut ? 'timed-out' : 'failed', { error: result.error });
        }
        this.lifecycle.retrying(task, batch, result.error, delay);
        task.retrying = true;
        await this.pause(task, delay);
        task.retrying = false;
        if (task.ended) return;
      }
    } catch (error) {
      // Only a bug of this library lands here; the task still gets an outcome.
      this.end(task, batch, 'failed', { error });
    }
  }

  private async attempt(task: ScheduledTask, batch: TaskOwner, attempt: number): Promise<AttemptResult> {
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

  /** The attempt's function returned (or threw) after holding the event loop since `calledAt`. */
  private measureSyncRun(task: ScheduledTask, batch: TaskOwner, calledAt: number): void {
    const ms = performance.now() - calledAt;
    if (ms >= this.loopBlocks.threshold) this.loopBlocks.blocked(task, batch, ms);
  }

  private beginAttempt(task: ScheduledTask, batch: TaskOwner, attempt: number): void {
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
   * `addAbortableTask` tasks and thread tasks get an AbortController: a plain task could not see its
   * signal anyway; a thread task's ends the attempt in its thread.
   */
  private raceAttempt(task: ScheduledTask, batch: TaskOwner): Promise<AttemptResult> {
    return new Promise<AttemptResult>((resolve) => {
      const controller = task.passSignal || task.thread !== undefined ? new AbortController() : undefined;
      task.controller = controller;
      let timer: TimerHandle | undefined;
      let settled = false;
      const settle = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        stopTimer(timer);
        task.interrupt = undefined;
        resolve(result);
      };
      task.interrupt = (reason) => {
        controller?.abort(reason);
        settle({ ok: false, abandoned: true });
      };
      const { timeout } = task.options;
      const timedOut = () => {
        const error = new DOMException(`Task ${quoteName(task.name)} timed out after ${timeout} ms`, 'TimeoutError');
        settle({ ok: false, error, timedOut: true });
        controller?.abort(error);
      };
      const startedAt = performance.now();
      if (timeout > 0) timer = startTimer(timedOut, timeout);
      const tracing = this.instrumentation;
      const around = tracing && (<R>(run: () => R) => tracing.around(task, batch, run));
      const attempt = task.invoke(controller?.signal, around);
      if (this.loopBlocks.threshold !== Infinity) this.measureSyncRun(task, batch, startedAt);
      attempt.then(
        // A synchronous task that overran its timeout blocked the timer itself: it timed out all the same.
        (value) => (timeout > 0 && performance.now() - startedAt > timeout ? timedOut() : settle({ ok: true, value })),
        (error: unknown) => settle({ ok: false, error, timedOut: false }),
      );
    });
  }

  private shouldRetry(task: ScheduledTask, error: unknown): boolean {
    try {
      return task.options.retryIf(error) === true;
    } catch (hookError) {
      const { message, stack } = describeError(hookError);
      this.logger.error(`The retryIf hook threw for task ${quoteName(task.name)}: ${message}`, stack);
      return false;
    }
  }

  /** Waits between attempts, cut short when the task is abandoned. */
  private pause(task: ScheduledTask, delay: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = startTimer(resolve, delay);
      task.interrupt = () => {
        stopTimer(timer);
        resolve();
      };
    });
  }
}
