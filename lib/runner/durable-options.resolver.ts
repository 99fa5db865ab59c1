import { INVALID_OPTION } from '../core/background-tasks.messages.js';
import type {
  DurableConnection,
  DurableOptions,
  DurableWorkerOptions,
  EnqueueErrorPolicy,
  KeepJobs,
} from '../interfaces/durable-options.interface.js';

/** Default name of the BullMQ queue durable tasks go to. */
export const DEFAULT_QUEUE_NAME = 'background-tasks';

/** `durable` with every default filled in and every value checked. */
export interface ResolvedDurableOptions {
  readonly connection?: DurableConnection;
  readonly queue?: object;
  readonly queueName: string;
  readonly prefix?: string;
  /** `undefined`: every handler. */
  readonly handlers?: ReadonlySet<string>;
  readonly onEnqueueError: EnqueueErrorPolicy;
  readonly enqueueTimeout: number;
  /** `undefined`: this app runs no worker. */
  readonly worker?: Required<Pick<DurableWorkerOptions, 'concurrency'>> & DurableWorkerOptions;
  readonly removeOnComplete: KeepJobs;
  readonly removeOnFail: KeepJobs;
}

function fail(option: string, expected: string, value: unknown): never {
  throw new TypeError(INVALID_OPTION(option === '' ? 'durable' : `durable.${option}`, expected, value));
}

function positive(option: string, value: unknown, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    fail(option, integer ? 'an integer >= 1' : 'a number > 0 (ms)', value);
  }
  return value;
}

function keepJobs(option: string, value: unknown, fallback: KeepJobs): KeepJobs {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean' || (typeof value === 'number' && value >= 0)) return value;
  if (typeof value === 'object' && value !== null) return value as KeepJobs;
  return fail(option, 'a boolean, a number >= 0 or { age, count }', value);
}

function resolveWorker(value: unknown): ResolvedDurableOptions['worker'] {
  if (value === false) return undefined;
  if (value === undefined || value === true) return { concurrency: 1 };
  if (typeof value !== 'object' || value === null) return fail('worker', 'a boolean or worker options', value);
  const given = value as DurableWorkerOptions;
  const maxStalledCount = given.maxStalledCount;
  if (maxStalledCount !== undefined && (typeof maxStalledCount !== 'number' || !Number.isInteger(maxStalledCount) || maxStalledCount < 0)) {
    fail('worker.maxStalledCount', 'an integer >= 0', maxStalledCount);
  }
  return {
    concurrency: positive('worker.concurrency', given.concurrency, true) ?? 1,
    lockDuration: positive('worker.lockDuration', given.lockDuration, false),
    stalledInterval: positive('worker.stalledInterval', given.stalledInterval, false),
    maxStalledCount,
  };
}

/** Checks `durable` at startup; `undefined` when durable mode is off. */
export function resolveDurableOptions(value: unknown): ResolvedDurableOptions | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value !== 'object') return fail('', 'an object', value);
  const given = value as DurableOptions;
  if (given.queue !== undefined && (typeof given.queue !== 'object' || given.queue === null || typeof (given.queue as { addBulk?: unknown }).addBulk !== 'function')) {
    fail('queue', 'a BullMQ Queue', given.queue);
  }
  if (given.queue === undefined && (typeof given.connection !== 'object' || given.connection === null)) {
    fail('connection', 'Redis connection options or a client (or give durable.queue)', given.connection);
  }
  if (given.queueName !== undefined && (typeof given.queueName !== 'string' || given.queueName === '' || given.queueName.includes(':'))) {
    fail('queueName', 'a non-empty string without ":"', given.queueName);
  }
  if (given.prefix !== undefined && (typeof given.prefix !== 'string' || given.prefix === '')) {
    fail('prefix', 'a non-empty string', given.prefix);
  }
  const handlers = given.handlers;
  if (handlers !== undefined && handlers !== 'all' && !(Array.isArray(handlers) && handlers.every((name) => typeof name === 'string'))) {
    fail('handlers', "'all' or an array of handler names", handlers);
  }
  const policy = given.onEnqueueError;
  if (policy !== undefined && policy !== 'fail' && policy !== 'run-in-process') {
    fail('onEnqueueError', "'fail' | 'run-in-process'", policy);
  }
  return {
    connection: given.connection,
    queue: given.queue,
    queueName: (given.queue as { name?: string } | undefined)?.name ?? given.queueName ?? DEFAULT_QUEUE_NAME,
    prefix: given.prefix,
    handlers: handlers === undefined || handlers === 'all' ? undefined : new Set(handlers),
    onEnqueueError: policy ?? 'run-in-process',
    enqueueTimeout: positive('enqueueTimeout', given.enqueueTimeout, false) ?? 5_000,
    worker: resolveWorker(given.worker),
    removeOnComplete: keepJobs('removeOnComplete', given.removeOnComplete, { count: 1000 }),
    removeOnFail: keepJobs('removeOnFail', given.removeOnFail, { count: 10_000 }),
  };
}
