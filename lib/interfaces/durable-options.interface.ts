/**
 * Where the Redis server is. Anything BullMQ accepts as `connection`: options such as
 * `{ host, port, password }` or `{ url: 'redis://...' }`, or a Redis client instance you already have
 * (ioredis). Typed loosely so that this package's types do not depend on `bullmq`, an optional peer.
 *
 * @publicApi
 */
export type DurableConnection = { readonly url?: string; readonly host?: string; readonly port?: number } | object;

/**
 * What happens to the durable tasks of a release when they cannot be enqueued (Redis down, the enqueue
 * took longer than `enqueueTimeout`): `'run-in-process'` (default) runs them here, as if durable mode
 * were off (nothing is lost, but they die with this process); `'fail'` ends each as `failed` with the
 * error, calling `onTaskError`. Both write an error line naming the tasks.
 *
 * @publicApi
 */
export type EnqueueErrorPolicy = 'fail' | 'run-in-process';

/**
 * Options of the BullMQ worker this module starts (`durable.worker`).
 *
 * @publicApi
 */
export interface DurableWorkerOptions {
  /** Jobs this process runs at once, an integer from 1 to 10 000. @default 1 */
  concurrency?: number;
  /**
   * How long a job stays locked to this worker without a renewal, in ms, > 0 and <= 2^31-1 (BullMQ's
   * `lockDuration`). A worker that dies loses its jobs' locks after this long; another worker then takes
   * them up again (at-least-once). @default 30000
   */
  lockDuration?: number;
  /**
   * How often this worker looks for jobs whose lock expired, in ms, > 0 and <= 2^31-1 (BullMQ's
   * `stalledInterval`). @default 30000
   */
  stalledInterval?: number;
  /** Times a job may stall (its worker died) before it is failed instead of retried: an integer from 0 to 1000. @default 1 */
  maxStalledCount?: number;
}

/**
 * How many finished jobs BullMQ keeps: `true` removes at once, a number (an integer from 0 to 1 000 000)
 * keeps that many; `{ age }` (seconds, an integer from 0 to 2^31-1) and `{ count }` (as the number).
 */
export type KeepJobs = boolean | number | { readonly age?: number; readonly count?: number };

/**
 * `BackgroundTasksModule.forRoot({ durable })`: tasks whose function is a `@BackgroundTask` handler are
 * enqueued to a BullMQ queue after the response instead of running in this process, and a worker (this
 * app, or another process) runs them. Plain functions keep running in-process.
 *
 * @publicApi
 */
export interface DurableOptions {
  /**
   * The Redis server. Required unless `queue` is given. A `url` must be `redis://` or `rediss://` with a
   * valid host, port and database number, and a `port` an integer from 0 to 65535 (or its digits as a
   * string): checked at startup, and the URL (which may hold a password) never appears in the error.
   */
  connection?: DurableConnection;
  /**
   * A BullMQ `Queue` you already have (for example `@nestjs/bullmq`'s, injected into `forRootAsync` with
   * `getQueueToken(name)`): tasks are added to it, and the worker uses its name, prefix and connection.
   * It stays yours: this module does not close it.
   */
  queue?: object;
  /** Name of the BullMQ queue. Default `'background-tasks'`. Ignored when `queue` is given. */
  queueName?: string;
  /** BullMQ's key prefix. Default BullMQ's (`'bull'`). Ignored when `queue` is given. */
  prefix?: string;
  /** Which handlers are durable: `'all'` (default) or a list of handler names; the others run in-process. */
  handlers?: 'all' | readonly string[];
  /** Default `'run-in-process'`. */
  onEnqueueError?: EnqueueErrorPolicy;
  /**
   * How long one enqueue (one `addBulk` per request) may take before `onEnqueueError` applies, in ms,
   * > 0 and <= 2^31-1. @default 5000
   */
  enqueueTimeout?: number;
  /**
   * Whether this app also runs a worker that takes jobs from the queue: `true` (default), `false` (a web
   * process that only enqueues; run the worker elsewhere), or the worker's options.
   */
  worker?: boolean | DurableWorkerOptions;
  /** Completed jobs kept in Redis. Default `{ count: 1000 }`. */
  removeOnComplete?: KeepJobs;
  /** Failed jobs kept in Redis (to inspect and retry by hand). Default `{ count: 10000 }`. */
  removeOnFail?: KeepJobs;
}
