/**
 * How a task ended. Every task added ends in exactly one of these.
 * - `succeeded`, `failed` (after its last attempt), `timed-out` (its last attempt timed out);
 * - `cancelled`: removed by `tasks.cancel(name)`, replaced by a newer task of the same name, or
 *   cancelled by `BackgroundTasksTracker.cancel(id)` (reason `'cancelled by id'`);
 * - `dropped`: not run by policy (the handler threw and `runOn` excluded it, the client aborted and
 *   `onClientAbort` is `'drop'`, a dependency did not succeed under `ifDependencyFails: 'skip'`, or it
 *   was added after shutdown);
 * - `abandoned`: still pending or running at the drain deadline;
 * - `enqueued`: a durable task handed to the BullMQ queue: this process is done with it, and a worker
 *   will run it (its runs are reported by the worker, not here).
 *
 * @publicApi
 */
export type TaskOutcome = 'succeeded' | 'failed' | 'timed-out' | 'cancelled' | 'dropped' | 'abandoned' | 'enqueued';

/**
 * Where a task came from: the request's method and route pattern (never the URL, never arguments).
 *
 * @publicApi
 */
export interface TaskRequestInfo {
  readonly method?: string;
  readonly route?: string;
}

/**
 * What hooks and logs may know about a task: never its arguments.
 *
 * @publicApi
 */
export interface TaskInfo {
  /** The id `addTask` returned in the task's handle (for a durable task, its BullMQ job id). */
  readonly id: string;
  readonly name: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Attempts allowed in all (`retries + 1`). */
  readonly maxAttempts: number;
  readonly request?: TaskRequestInfo;
  /** Ids of the tasks it runs after (`with({ after })`); absent when it has none. */
  readonly after?: readonly string[];
}

/**
 * The end of a task, as hooks see it.
 *
 * @publicApi
 */
export interface TaskEndInfo extends TaskInfo {
  readonly outcome: TaskOutcome;
  /**
   * Why a task was dropped, cancelled or abandoned: for `abandoned`, `'drain deadline: running'` or
   * `'drain deadline: not started'`.
   */
  readonly reason?: string;
  /** From the first attempt's start to the end, in ms; 0 for tasks that never started. */
  readonly durationMs: number;
  readonly error?: unknown;
}
