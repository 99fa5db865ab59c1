/**
 * A Nest log level for a lifecycle line, or `false` to leave the line out.
 *
 * @publicApi
 */
export type TaskLogLevel = 'verbose' | 'debug' | 'log' | 'warn' | 'error' | 'fatal' | false;

/**
 * The level of each task lifecycle line (context `BackgroundTasks`). Lines carry the task's name, the
 * attempt, the duration and the request's method and route, never the arguments.
 *
 * @publicApi
 */
export interface TaskLogLevels {
  /** Each attempt starts. Default `false` (Nest's default logger prints debug lines too). */
  started?: TaskLogLevel;
  /** The task succeeded, with its duration. Default `false`. */
  succeeded?: TaskLogLevel;
  /** An attempt failed and another one is coming. Default `'warn'`. */
  retrying?: TaskLogLevel;
  /** The last attempt failed (with the error's stack). Default `'error'`. */
  failed?: TaskLogLevel;
  /** The last attempt timed out. Default `'error'`. */
  timedOut?: TaskLogLevel;
}
