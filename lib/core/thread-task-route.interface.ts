import type { ThreadTaskMark } from './thread-task.mark.js';

/**
 * Runs a task in a worker thread instead of on the event loop. Generic over the task so that this file
 * and `ScheduledTask` do not import each other.
 */
export interface ThreadTaskRoute<Task> {
  /**
   * Runs one attempt in a thread. `signal` fires when the attempt is over on this side (timeout, drain
   * deadline): the thread's own signal fires, and the thread is terminated if it does not stop in time.
   */
  runInThread(task: Task, signal: AbortSignal): Promise<unknown>;
}

/** What `addTask` asks of the app's thread pool when it receives a function `defineThreadTask` marked. */
export interface ThreadTaskDispatcher<Task> extends ThreadTaskRoute<Task> {
  /**
   * Checks the task at the call site (its arguments must survive structured cloning; the pool's queue
   * bound) and routes it to the pool.
   *
   * @throws TypeError naming the argument path that cannot be cloned.
   */
  route(task: Task, mark: ThreadTaskMark, method: string): void;
  /** Terminates every thread: called once the shutdown drain is over. */
  close(): Promise<void>;
}
