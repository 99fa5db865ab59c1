import type { TaskHandle } from './task-handle.interface.js';

/**
 * When a task runs, given how the request's handler ended: `'success'` (default, FastAPI's semantics)
 * runs it only when the handler returned; `'error'` only when it threw (compensation, alerting);
 * `'always'` in both cases.
 *
 * @publicApi
 */
export type RunOn = 'success' | 'always' | 'error';

/**
 * What to do with a task when the client went away before its response had been fully sent.
 *
 * @publicApi
 */
export type ClientAbortPolicy = 'run' | 'drop';

/**
 * What a dependent task (`with({ after })`) does when a dependency ends in anything but `succeeded`:
 * `'skip'` (default) ends it `dropped` (the reason names the dependency and its outcome), and its own
 * dependents in turn; `'run'` runs it anyway once every dependency has ended.
 *
 * @publicApi
 */
export type DependencyFailurePolicy = 'skip' | 'run';

/**
 * Delay between attempts. `exponential` (default) waits `delay * 2^(attempt - 1)` capped at `maxDelay`;
 * with `jitter` (default) a random share of that ("full jitter"), so retries of many tasks spread out.
 *
 * @publicApi
 */
export interface BackoffOptions {
  /** @default 'exponential' */
  type?: 'exponential' | 'fixed';
  /** Base delay in ms, a finite number >= 0. @default 200 */
  delay?: number;
  /** Upper bound in ms, a finite number >= 0. @default 30000 */
  maxDelay?: number;
  /** Wait a random share of the delay; a boolean. @default true */
  jitter?: boolean;
}

/**
 * Options of one task, given with `tasks.with(options).addTask(...)`; each falls back to the module's
 * `defaults`.
 *
 * @publicApi
 */
export interface TaskOptions {
  /**
   * Used in every log line and hook: a non-empty string of at most 200 characters. @default the
   * function's name, or `anonymous`
   */
  name?: string;
  /**
   * Per attempt, in ms, >= 0; `0` or `Infinity`: no limit. The attempt is reported as timed out and its
   * AbortSignal fires. A synchronous task cannot be interrupted: one that runs past its timeout ends
   * `timed-out` all the same once it returns (and is retried like any timeout). Delays past 2^31-1 ms are
   * waited out in full. @default 0 (no limit)
   */
  timeout?: number;
  /** Attempts after the first one: an integer from 0 to 1000. @default 0 */
  retries?: number;
  /**
   * How long to wait between attempts: options, or a function returning the pause in ms. A function's
   * result that is NaN, negative or not a number means no pause (retry at once); `Infinity` means no
   * further attempt (the task ends with the error of its last one; on a durable worker, BullMQ fails
   * the job).
   */
  backoff?: BackoffOptions | ((attempt: number, error: unknown) => number);
  /** Whether an error is worth another attempt. Default: every error, timeouts included. */
  retryIf?: (error: unknown) => boolean;
  /** Default `'success'`. */
  runOn?: RunOn;
  /** Default `'run'`. */
  onClientAbort?: ClientAbortPolicy;
  /**
   * For tasks given an explicit `name`: adding one whose name is already pending in the same request
   * replaces it (last one wins). Default true; `false` keeps both.
   */
  dedupe?: boolean;
  /**
   * Start only after these tasks (handles `addTask` returned in this app, of this request or an earlier
   * one) have ended: a chain with one handle, a fan-in with a list of them (1 to 1000). The task still
   * waits for its own response first, and keeps its place in its request's order. A durable task may
   * depend only on durable tasks added earlier in the same request: they are enqueued as one BullMQ flow.
   * Only `with()` takes it, not the module's `defaults`.
   */
  after?: TaskHandle | readonly TaskHandle[];
  /** When a dependency did not succeed: see `DependencyFailurePolicy`. Only with `after`. @default 'skip' */
  ifDependencyFails?: DependencyFailurePolicy;
}

/**
 * Task options the module applies to every task unless the task says otherwise.
 *
 * @publicApi
 */
export type TaskDefaults = Omit<TaskOptions, 'name' | 'dedupe' | 'after' | 'ifDependencyFails'>;
