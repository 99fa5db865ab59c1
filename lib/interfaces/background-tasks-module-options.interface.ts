import type { TaskEndInfo } from './task-info.interface.js';
import type { TaskDefaults } from './task-options.interface.js';

/**
 * What `addTask` does when `maxQueued` tasks are already waiting: `'reject'` (default) throws a
 * `BackgroundTasksQueueFullError` at the call, so the caller can answer 503; `'run'` accepts the task
 * anyway (memory grows past the bound). Neither loses a task silently.
 *
 * @publicApi
 */
export type QueueOverflowPolicy = 'reject' | 'run';

/**
 * Options of `BackgroundTasksModule.forRoot()` / `forRootAsync()`.
 *
 * @publicApi
 */
export interface BackgroundTasksModuleOptions {
  /**
   * How long `app.close()` waits for running and pending tasks, in ms, before it aborts and abandons
   * them (each is logged by name). Default 30 000.
   */
  drainTimeout?: number;
  /** Options every task gets unless it says otherwise (`timeout`, `retries`, `runOn`...). */
  defaults?: TaskDefaults;
  /** Tasks of one request running at once: 1 (default) runs them one after another, in order. */
  concurrency?: number;
  /** Tasks running at once in the whole process. Default 64. */
  maxConcurrent?: number;
  /** Tasks added but not started yet, in the whole process, before `onQueueFull` applies. Default 10 000. */
  maxQueued?: number;
  /** Default `'reject'`. */
  onQueueFull?: QueueOverflowPolicy;
  /**
   * Called once for every task that ends `failed` or `timed-out` (after its last attempt), with the error
   * and what is known of the task (never its arguments). Errors it throws are logged, never propagated.
   */
  onTaskError?: (error: unknown, info: TaskEndInfo) => void | Promise<void>;
}
