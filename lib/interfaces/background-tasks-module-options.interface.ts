import type { DurableOptions } from './durable-options.interface.js';
import type { DrainInfo } from './drain-info.interface.js';
import type { TaskEndInfo, TaskInfo } from './task-info.interface.js';
import type { TaskLogLevels } from './task-log-levels.interface.js';
import type { TaskDefaults } from './task-options.interface.js';
import type { ThreadPoolOptions } from './thread-pool-options.interface.js';
import type { TaskTrackingOptions } from './task-tracking-options.interface.js';

/**
 * How tasks are run, for tests: `'background'` (default, production behaviour), `'inline'` (the response's
 * last bytes wait until the request's tasks have settled, like FastAPI's `TestClient`), `'record'` (tasks
 * are recorded with their arguments and run only on demand). See `nestjs-background-tasks/testing`.
 *
 * @publicApi
 */
export type BackgroundTasksTestMode = 'background' | 'inline' | 'record';

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
   * How long `app.close()` waits for running and pending tasks, in ms (>= 0; `Infinity`: no deadline),
   * before it aborts and abandons them (each is logged by name). The HTTP server's close keeps to it too:
   * from the start of the drain responses say `Connection: close` and idle connections close; at the
   * deadline every connection is cut, and tasks added after it are logged and end `dropped`.
   * @default 30000
   */
  drainTimeout?: number;
  /** Options every task gets unless it says otherwise (`timeout`, `retries`, `runOn`...). */
  defaults?: TaskDefaults;
  /**
   * Tasks of one request running at once, an integer >= 1 or `Infinity`: 1 runs them one after another,
   * in order. @default 1
   */
  concurrency?: number;
  /** Tasks running at once in the whole process, an integer >= 1 or `Infinity`. @default 64 */
  maxConcurrent?: number;
  /**
   * Tasks added but not started yet, in the whole process, before `onQueueFull` applies: an integer >= 1
   * or `Infinity`. @default 10000
   */
  maxQueued?: number;
  /** Default `'reject'`. */
  onQueueFull?: QueueOverflowPolicy;
  /**
   * Called once for every task that ends `failed` or `timed-out` (after its last attempt), with the error
   * and what is known of the task (never its arguments). Errors it throws are logged, never propagated.
   */
  onTaskError?: (error: unknown, info: TaskEndInfo) => void | Promise<void>;
  /** Called when each attempt of a task starts. Guarded: what it throws is logged, never propagated. */
  onTaskStart?: (info: TaskInfo) => void | Promise<void>;
  /** Called once for every task with its outcome, whatever it is. Guarded like `onTaskStart`. */
  onTaskEnd?: (info: TaskEndInfo) => void | Promise<void>;
  /** Called once when the shutdown drain is over. Guarded like `onTaskStart`. */
  onDrain?: (info: DrainInfo) => void | Promise<void>;
  /** Level of each lifecycle log line; `false` leaves a line out. */
  logLevels?: TaskLogLevels;
  /**
   * Count tasks for `BackgroundTasksMetrics` (counters and the duration histogram). Default false: the
   * gauges (running, queued) are always there, the counting is opt-in so that unused metrics cost nothing.
   */
  metrics?: boolean;
  /**
   * OpenTelemetry spans for tasks (needs the optional peer `@opentelemetry/api`). Default: on when the API
   * is installed and a tracer provider has been registered by the time the module initializes; `true`
   * turns it on whenever the API is installed; `false` turns it off.
   */
  tracing?: boolean;
  /** For tests: how tasks are run. Default `'background'`. The testing kit can switch it at run time. */
  testMode?: BackgroundTasksTestMode;
  /**
   * Unknown keys (a typo such as `drainTimout`, here, in `defaults`, `durable` or `with()`) fail with a
   * `TypeError` naming the key.
   *
   * Durable execution on BullMQ: `@BackgroundTask` handlers are enqueued after the response and run by a
   * worker (this app or another process) instead of in this process. Needs the `bullmq` package. Off by
   * default.
   */
  durable?: DurableOptions;
  /** The worker-thread pool that runs `defineThreadTask` functions (see `ThreadPoolOptions`). */
  threads?: ThreadPoolOptions;
  /**
   * Warn (once per task name) when a task's synchronous run, the time its function takes to return,
   * reaches this many ms (> 0), or `false` for no warning. The event loop serves no other request
   * meanwhile. 100 ms is where a delay becomes noticeable to a user (the usual response-time budget),
   * well above what ordinary synchronous work (a template, a small JSON document) takes, so the warning
   * points at work that belongs in a thread (`defineThreadTask`). Costs two clock reads per attempt.
   * @default 100
   */
  loopBlockWarning?: number | false;
  /**
   * Task statuses for `BackgroundTasksTracker`: how many are kept, for how long, and whether with their
   * results; `true`: the defaults; `false`: no in-process statuses (the tracker then answers only for durable tasks, from
   * Redis), which saves the entry each task costs (see BENCHMARKS.md).
   * @default { maxEntries: 10000, ttl: 3600000, results: false }
   */
  tracking?: TaskTrackingOptions | boolean;
}
