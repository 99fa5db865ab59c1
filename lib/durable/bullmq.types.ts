/**
 * The part of BullMQ this package uses, typed here so that its own type declarations never import
 * `bullmq`, an optional peer dependency that apps not using durable mode do not install.
 */

export interface BullJobsOptions {
  attempts?: number;
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
  readonly opts: BullJobsOptions;
}

export interface BullQueue {
  readonly name: string;
  readonly opts: { connection?: unknown; prefix?: string };
  addBulk(jobs: { name: string; data: unknown; opts?: BullJobsOptions }[]): Promise<unknown[]>;
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
}

/** What `import('bullmq')` gives. */
export interface BullMq {
  Queue: new (name: string, options: object) => BullQueue;
  Worker: new (name: string, processor: BullProcessor, options: object) => BullWorker;
  UnrecoverableError: new (message?: string) => Error;
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
