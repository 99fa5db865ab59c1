/**
 * The `threads` option: the pool of worker threads that runs `defineThreadTask` functions. The pool
 * starts with the first thread task (an app that has none starts no thread) and is destroyed at the end
 * of the shutdown drain.
 *
 * @publicApi
 */
export interface ThreadPoolOptions {
  /**
   * Threads at most, an integer from 1 to 1024. The default leaves one core to the event loop, which
   * still serves requests and the other tasks.
   * @default Math.max(1, os.availableParallelism() - 1)
   */
  maxThreads?: number;
  /**
   * Thread tasks waiting for a free thread, an integer >= 1 or `Infinity`, before `onQueueFull` applies
   * at `addTask`: `'reject'` throws `BackgroundTasksQueueFullError` there (the caller can answer 503),
   * `'run'` accepts the task. A task already accepted is never dropped for space. Each waiting thread
   * task also holds one of `maxConcurrent`'s slots, which bounds the queue by default.
   * @default Infinity
   */
  maxQueue?: number;
  /**
   * ms an idle thread is kept for the next thread task before it exits (>= 0, `Infinity`: kept). Idle
   * threads never keep the process alive. A new thread loads the task's module again.
   * @default 30000
   */
  idleTimeout?: number;
  /**
   * ms a thread task has, once its attempt is over on the event loop (timeout, drain deadline, the
   * signal of `run`), to stop by itself (its own `AbortSignal` has fired) before its thread is terminated
   * and replaced: 0 to 2^31-1.
   * @default 1000
   */
  abortGracePeriod?: number;
}
