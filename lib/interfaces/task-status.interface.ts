import type { TaskRequestInfo } from './task-info.interface.js';

/**
 * Where a task stands.
 * - In this process: `pending` (added, not started: waiting for its response, its turn, a slot or its
 *   dependencies), `running` (an attempt runs), `retrying` (an attempt failed, the next waits for its
 *   backoff), then its outcome: `succeeded`, `failed`, `timed-out`, `cancelled`, `dropped`, `abandoned`,
 *   or `enqueued` (a durable task handed to BullMQ whose job Redis no longer has or cannot tell).
 * - On the BullMQ workers (durable tasks, read from Redis): `waiting` (waiting, prioritized, or a flow's
 *   parent waiting for its children), `retrying` (delayed after a failed attempt), `active`, `completed`,
 *   `failed`, `cancelled` (signalled by `BackgroundTasksTracker.cancel()` while active) and `dropped` (a
 *   flow's parent failed by a failed child under `ifDependencyFails: 'skip'`).
 *
 * @publicApi
 */
export type TaskState =
  | 'pending'
  | 'running'
  | 'retrying'
  | 'succeeded'
  | 'failed'
  | 'timed-out'
  | 'cancelled'
  | 'dropped'
  | 'abandoned'
  | 'enqueued'
  | 'waiting'
  | 'active'
  | 'completed';

/**
 * A task's status, as `BackgroundTasksTracker.status(id)` returns it: never its arguments, never a stack.
 * Times are epoch milliseconds.
 *
 * @publicApi
 */
export interface TaskStatus {
  readonly id: string;
  readonly name: string;
  readonly state: TaskState;
  /** Attempts started so far (0 while pending). */
  readonly attempts: number;
  /** Attempts allowed in all (`retries + 1`). */
  readonly maxAttempts: number;
  readonly addedAt: number;
  /** When its first attempt started. */
  readonly startedAt?: number;
  /** When it got its outcome. */
  readonly endedAt?: number;
  /** What its last attempt threw, summarized: the error's name and message only. */
  readonly error?: { readonly name: string; readonly message: string };
  /**
   * What the task's function returned, as a JSON copy: only with `tracking.results` on, for a task that
   * succeeded (completed), when the value is JSON and within `tracking.results.maxBytes`.
   */
  readonly result?: unknown;
  /** A `@BackgroundTask` handler sent to BullMQ (its id is the job id). */
  readonly durable: boolean;
  /** Method and route pattern of the request that added it (never the URL). */
  readonly request?: TaskRequestInfo;
}

/**
 * What `BackgroundTasksTracker.cancel(id)` did:
 * - `cancelled`: the task had not started (or waited to retry, or was a waiting BullMQ job): removed, it
 *   ends `cancelled` (reason `'cancelled by id'`) and never runs; under `ifDependencyFails: 'skip'` its
 *   dependents end `dropped`.
 * - `signalled`: an attempt was running: its `AbortSignal` fired and the task ended `cancelled` at once,
 *   even if its function keeps running (a plain `addTask` function has no signal: its attempt is just
 *   abandoned). On a BullMQ worker the job's signal fires and the job fails without a retry.
 * - `already-ended`: the task has its outcome already.
 * - `not-found`: no such task in this app's store (never added here, or evicted) nor in Redis.
 *
 * @publicApi
 */
export type TaskCancelResult = 'cancelled' | 'signalled' | 'already-ended' | 'not-found';
