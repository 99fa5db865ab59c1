import type { Logger } from '@nestjs/common';
import { describeRequest } from '../core/describe-request.js';
import { quoteName } from '../core/quote-name.js';
import type { TaskEndInfo } from '../interfaces/task-info.interface.js';
import { describeError } from '../core/describe-error.js';
import { backoffDelay, retryPause } from '../core/task-options.resolver.js';
import type { TaskRunner } from '../runner/task-runner.js';
import type { BullJob } from './bullmq.types.js';
import { readPayload, TASK_BACKOFF, type DurableJobPayload } from './durable-job.payload.js';
import {
  BAD_PAYLOAD,
  JOB_CANCELLED,
  JOB_FAILED,
  JOB_RETRYING,
  JOB_TIMED_OUT,
  JOB_TIMED_OUT_LAST,
  UNKNOWN_HANDLER,
  WORKER_ABANDONED,
} from './durable.messages.js';
import type { TaskHandlerExplorer } from './task-handler.explorer.js';
import { CANCELLED_BY_ID_REASON } from './job-cancellation.js';
import { resultToKeep, unrecoverable } from './job-outcome.js';

/** A job this worker is running; `abandon` lets go of it at the drain deadline. */
interface ActiveJob {
  readonly label: string;
  readonly id?: string;
  readonly controller: AbortController;
  readonly abandon: () => void;
}

/**
 * What a worker does with one job: finds the handler by the job's name (never evaluates anything from
 * the payload), calls it on its provider with the job's arguments under the task's timeout, and reports
 * as in-process tasks do (retries at warn, the last failure at error with `onTaskError`), never the
 * arguments. BullMQ owns the attempts and the delays between them.
 */
export class DurableJobProcessor {
  private readonly active = new Set<ActiveJob>();
  /** Errors of attempts this processor timed out (a handler's own TimeoutError is a failure). */
  private readonly timeouts = new WeakSet<object>();
  /** Errors of attempts cancelled by id: logged as such, never retried or reported as failures. */
  private readonly cancelled = new WeakSet<object>();
  /** Errors of attempts let go at the drain deadline: already reported, left to Redis. */
  private readonly abandoned = new WeakSet<object>();

  constructor(
    private readonly handlers: TaskHandlerExplorer,
    private readonly runner: TaskRunner,
    private readonly logger: Logger,
    private readonly queueName: string,
    private readonly Unrecoverable: new (message?: string) => Error,
  ) {}

  /** Jobs started here that BullMQ has not yet recorded as completed or failed. */
  private readonly unsettled = new Set<string | undefined>();

  get running(): number {
    return this.active.size;
  }

  /** Some job started here is not recorded in Redis yet: closing the connections now could lose that. */
  get busy(): boolean {
    return this.unsettled.size > 0;
  }

  /** Jobs whose data was not JSON: BullMQ got an empty stand-in, and `process` fails them. */
  private readonly unreadable = new WeakSet<object>();

  /**
   * Wraps BullMQ's `Worker.createJob`, which throws on job data that is not JSON: the job was already
   * moved to active, so it would stay there (logged as a connection error) until its lock expired. It
   * gets `{}` as data instead and fails in `process` like any payload this version cannot read.
   */
  readJob<J extends object>(create: (raw: Record<string, unknown>, id?: string) => J): (raw: Record<string, unknown>, id?: string) => J {
    return (raw, id) => {
      try {
        return create(raw, id);
      } catch {
        const job = create({ ...raw, data: '{}' }, id);
        this.unreadable.add(job);
        return job;
      }
    };
  }

  /** BullMQ recorded the job's attempt (its `completed` or `failed` event). */
  settled(jobId: string | undefined): void {
    this.unsettled.delete(jobId);
  }

  /** BullMQ's `backoffStrategy`: the delay in-process retries would use (`-1`, BullMQ's "no retry", for `Infinity`). */
  readonly backoff = (attemptsMade: number, type?: string, error?: Error, job?: { data?: unknown }): number => {
    if (type !== TASK_BACKOFF) return 0;
    const payload = readPayload(job?.data);
    const delay = payload?.backoff
      ? backoffDelay(payload.backoff, attemptsMade)
      : this.runner.options.defaults.backoff(attemptsMade, error);
    return retryPause(delay) ?? -1;
  };

  /** The BullMQ processor. Resolves when the handler succeeded; rejects to fail the attempt. */
  async process(job: BullJob, signal?: AbortSignal): Promise<unknown> {
    this.unsettled.add(job.id);
    const handler = this.handlers.named(job.name);
    if (handler === undefined) {
      const message = UNKNOWN_HANDLER(job.name, this.queueName);
      this.logger.error(message);
      throw new this.Unrecoverable(message);
    }
    const payload = this.unreadable.has(job) ? undefined : readPayload(job.data);
    if (payload === undefined) {
      const message = BAD_PAYLOAD(job.name);
      this.logger.error(message);
      const error = new this.Unrecoverable(message);
      const maxAttempts = Math.max(1, Number(job.opts?.attempts) || 1);
      this.reportFailure(error, { id: String(job.id), name: job.name, attempt: job.attemptsMade + 1, maxAttempts, outcome: 'failed', durationMs: 0, error });
      throw error;
    }
    const label = payload.task ?? handler.name;
    const attempt = job.attemptsMade + 1;
    const maxAttempts = Math.max(1, job.opts.attempts ?? 1);
    const startedAt = performance.now();
    try {
      const value = await this.run(job, payload, label, handler.instance, handler.methodName, signal);
      return resultToKeep(value, this.runner.options.tracking.resultMaxBytes);
    } catch (thrown) {
      if (this.abandoned.has(thrown as object)) throw thrown;
      if (this.cancelled.has(thrown as object)) {
        this.logger.log(JOB_CANCELLED(label, describeRequest(payload.request), job.id));
        throw thrown;
      }
      const request = describeRequest(payload.request);
      const { message, stack } = describeError(thrown);
      // BullMQ reads `.message` and `.name` of what the processor throws: a thrown string or undefined
      // would break it. (Duck-typed: errors from another realm are errors too.)
      const error = typeof (thrown as Error | undefined)?.message === 'string' ? (thrown as Error) : new Error(message);
      const timedOut = this.timeouts.has(error);
      const retry = attempt < maxAttempts && this.shouldRetry(label, error);
      if (retry) {
        this.logger.warn(`${JOB_RETRYING(label, request, job.id, attempt, maxAttempts)}: ${message}`);
        throw error;
      }
      if (timedOut) this.logger.error(JOB_TIMED_OUT_LAST(label, request, job.id, payload.timeout ?? 0, attempt));
      else this.logger.error(`${JOB_FAILED(label, request, job.id, attempt)}: ${message}`, stack);
      this.reportFailure(error, {
        id: String(job.id),
        name: label,
        attempt,
        maxAttempts,
        request: payload.request,
        outcome: timedOut ? 'timed-out' : 'failed',
        durationMs: performance.now() - startedAt,
        error,
      });
      // Not retried although attempts are left (retryIf said no): tell BullMQ so.
      throw attempt < maxAttempts ? unrecoverable(error, this.Unrecoverable) : error;
    }
  }

  /**
   * At the drain deadline: aborts every running job's signal and stops waiting for it. Its lock is no
   * longer renewed once the worker disconnects, so another worker runs it again (at-least-once).
   */
  abandonAll(): void {
    for (const job of this.active) {
      this.logger.error(WORKER_ABANDONED(job.label, job.id));
      job.controller.abort(new DOMException('Abandoned at the drain deadline', 'AbortError'));
      job.abandon();
    }
    this.active.clear();
  }

  private run(
    job: BullJob,
    payload: DurableJobPayload,
    label: string,
    instance: object,
    methodName: string,
    cancel: AbortSignal | undefined,
  ): Promise<unknown> {
    const controller = new AbortController();
    return new Promise<unknown>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const entry: ActiveJob = {
        label,
        id: job.id,
        controller,
        abandon: () => {
          const error = Object.assign(new Error('Abandoned at the drain deadline'), { name: 'AbortError' });
          this.abandoned.add(error);
          settle(() => reject(error));
        },
      };
      const onCancel = () => {
        if (cancel?.reason !== CANCELLED_BY_ID_REASON) return controller.abort(cancel?.reason);
        // `BackgroundTasksTracker.cancel()`: the handler's signal fires as in-process, and BullMQ fails
        // the job at once, without a retry, even if the handler keeps running.
        controller.abort(new DOMException('Cancelled by id', 'AbortError'));
        const error = new this.Unrecoverable(CANCELLED_BY_ID_REASON);
        this.cancelled.add(error);
        settle(() => reject(error));
      };
      const settle = (finish: () => void) => {
        if (!this.active.delete(entry)) return;
        if (timer) clearTimeout(timer);
        cancel?.removeEventListener('abort', onCancel);
        finish();
      };
      this.active.add(entry);
      cancel?.addEventListener('abort', onCancel);
      if (payload.timeout !== undefined && payload.timeout > 0) {
        const timeout = payload.timeout;
        timer = setTimeout(() => {
          const message = JOB_TIMED_OUT(label, timeout);
          // The handler's signal gets the DOMException that in-process tasks get; BullMQ an Error.
          controller.abort(new DOMException(message, 'TimeoutError'));
          const error = Object.assign(new Error(message), { name: 'TimeoutError' });
          this.timeouts.add(error);
          settle(() => reject(error));
        }, timeout);
      }
      const args = payload.signal ? [controller.signal, ...payload.args] : payload.args;
      new Promise((done) => {
        // The method is read from the provider by the name the registry found, never from the job.
        const method = (instance as Record<string, (...args: unknown[]) => unknown>)[methodName];
        done(Reflect.apply(method, instance, args));
      }).then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  private shouldRetry(label: string, error: unknown): boolean {
    try {
      return this.runner.options.defaults.retryIf(error) === true;
    } catch (hookError) {
      const { message, stack } = describeError(hookError);
      this.logger.error(`The retryIf hook threw for task ${quoteName(label)}: ${message}`, stack);
      return false;
    }
  }

  private reportFailure(error: unknown, info: TaskEndInfo): void {
    const hook = this.runner.options.onTaskError;
    if (hook) this.runner.events.call('onTaskError', (endInfo) => hook(error, endInfo), info);
  }
}
