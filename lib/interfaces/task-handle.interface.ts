/**
 * What `addTask` returns: the task's id, known at the call (answer `202 Accepted` with a status URL), and
 * its name as logs show it. Pass it to `BackgroundTasksTracker.status()` / `cancel()` by `id`, or to
 * `tasks.with({ after })` to run another task after it. For a durable task the id is its BullMQ job id.
 *
 * @publicApi
 */
export interface TaskHandle {
  /** Unique across processes (a random per-process prefix and a counter). */
  readonly id: string;
  /** The task's name: `with({ name })`, a `@BackgroundTask` handler's, or the function's. */
  readonly name: string;
}
