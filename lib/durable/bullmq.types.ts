/**
 * The part of BullMQ this package uses, typed here so that its own type declarations never import
 * `bullmq`, an optional peer dependency that apps not using durable mode do not install.
 */

export interface BullJobsOptions {
  /** The task's id (`TaskHandle.id`): the job is found by it. */
  jobId?: string;
  attempts?: number;
  /** Flows: a failed child fails its parent (`ifDependencyFails: 'skip'`). */
  failParentOnFailure?: boolean;
  /** Flows: a failed child counts as done for its parent (`ifDependencyFails: 'run'`). */
  ignoreDependencyOnFailure?: boolean;
  backoff?: { type: string; delay?: number };
  removeOnComplete?: unknown;
  removeOnFail?: unknown;
}

export interface BullJob {
  readonly id?: string;
  readonly name: string;
  readonly data: unknown;
  /** Attempts that have ended (failed or completed) so far. */
  readonly attemptsMade: number;
  /** Attempts started (BullMQ >= 5). */
  readonly attemptsStarted?: number;
  readonly opts: BullJobsOptions;
  readonly timestamp?: number;
  readonly processedOn?: number;
  readonly finishedOn?: number;
  readonly failedReason?: string;
  readonly returnvalue?: unknown;
  getState(): Promise<string>;
  remove(): Promise<void>;
}

/** A job of a BullMQ flow: the parent runs after its children. */
export interface BullFlowJob {
  name: string;
  queueName: string;
  prefix?: string;
  data: unknown;
  opts: BullJobsOptions;
  children?: BullFlowJob[];
}

export interface BullFlowProducer {
  addBulk(flows: BullFlowJob[]): Promise<unknown[]>;
  close(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The Redis client BullMQ connects with, as far as cancelling by id uses it. */
export interface BullRedisClient {
  publish(channel: string, message: string): Promise<number>;
  duplicate(): BullSubscriber;
}

/** The Redis backend of a BullMQ 6 queue or worker. */
export interface BullBackend {
  readonly client: Promise<BullRedisClient>;
}

export interface BullSubscriber {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  disconnect(): void;
}

export interface BullQueue {
  readonly name: string;
  readonly opts: { connection?: unknown; prefix?: string };
  addBulk(jobs: { name: string; data: unknown; opts?: BullJobsOptions }[]): Promise<unknown[]>;
  getJob(id: string): Promise<BullJob | undefined>;
  /** BullMQ 6.x: the Redis client lives on the backend (`getBackend().client`); earlier: `client`. */
  getBackend?(): BullBackend;
  readonly client?: Promise<BullRedisClient>;
  close(): Promise<void>;
  disconnect?(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type BullProcessor = (job: BullJob, token?: string, signal?: AbortSignal) => Promise<unknown>;

export interface BullWorker {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'stalled', listener: (jobId: string) => void): unknown;
  on(event: 'completed' | 'failed', listener: (job: BullJob | undefined) => void): unknown;
  close(force?: boolean): Promise<void>;
  disconnect(): Promise<void>;
  /** Fires the signal of a job this worker runs (BullMQ >= 5.x): false when it runs no such job. */
  cancelJob?(jobId: string, reason?: string): boolean;
  getBackend?(): BullBackend;
  readonly client?: Promise<BullRedisClient>;
}

/** What `import('bullmq')` gives. */
export interface BullMq {
  Queue: new (name: string, options: object) => BullQueue;
  Worker: new (name: string, processor: BullProcessor, options: object) => BullWorker;
  UnrecoverableError: new (message?: string) => Error;
  FlowProducer: new (options: object) => BullFlowProducer;
}

/** An ioredis client, as far as this package handles one. */
export interface RedisClient {
  readonly status: string;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** ioredis' constructor: `new Redis(options)` or `new Redis(url, options)`. */
export type RedisConstructor = new (...args: [object] | [string, object]) => RedisClient;

/** The loaded engine: BullMQ, and ioredis when this package creates the connection itself. */
export interface DurableEngine {
  readonly bullmq: BullMq;
  readonly Redis?: RedisConstructor;
}
