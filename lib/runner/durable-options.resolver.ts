import { INVALID_OPTION } from '../core/background-tasks.messages.js';
import { checkKnownKeys, MAX_TIMER_MS } from '../core/option-checks.js';
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

const WHERE = 'BackgroundTasksModule options';
const DURABLE_KEYS = [
  'connection', 'queue', 'queueName', 'prefix', 'handlers', 'onEnqueueError', 'enqueueTimeout', 'worker', 'removeOnComplete', 'removeOnFail',
];
/** Most jobs one worker runs at once, and most jobs kept by count: beyond is a typo. */
const MAX_COUNT = 1_000_000;

function fail(option: string, expected: string, value: unknown): never {
  throw new TypeError(INVALID_OPTION(option === '' ? 'durable' : `durable.${option}`, expected, value));
}

/** An integer in [min, max], or (`ms`) a number of ms in (0, 2^31-1]: what BullMQ's timers take. */
function bounded(option: string, value: unknown, kind: 'ms' | 'count', min = 1, max = MAX_COUNT): number | undefined {
  if (value === undefined) return undefined;
  const ok =
    typeof value === 'number' &&
    (kind === 'ms' ? value > 0 && value <= MAX_TIMER_MS : Number.isInteger(value) && value >= min && value <= max);
  if (!ok) fail(option, kind === 'ms' ? `a number of ms > 0 and <= ${MAX_TIMER_MS}` : `an integer from ${min} to ${max}`, value);
  return value as number;
}

/**
 * `connection.url` and `connection.port` as ioredis reads them, checked without ever showing the URL
 * (it holds the password): `redis://` or `rediss://`, a valid host and port, a numeric database.
 */
function checkConnection(connection: Record<string, unknown>): void {
  if (typeof connection.duplicate === 'function') return; // a client: its options were parsed already
  const { url, port } = connection;
  // ioredis takes a port as a number or a numeric string (from an environment variable).
  const portNumber = typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : port;
  if (port !== undefined && !(typeof portNumber === 'number' && Number.isInteger(portNumber) && portNumber >= 0 && portNumber <= 65_535)) {
    fail('connection.port', 'an integer from 0 to 65535', port);
  }
  if (url === undefined) return;
  const expected = "a redis:// or rediss:// URL with a valid host, port and database number (the URL is not shown: it may hold a password)";
  if (typeof url !== 'string') fail('connection.url', expected, url);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // `new URL()`'s own error carries the URL in `input`: never rethrown.
  }
  const database = parsed?.pathname.replace(/^\//, '') ?? '';
  if (parsed === undefined || !/^rediss?:$/.test(parsed.protocol) || !/^\d*$/.test(database)) {
    throw new TypeError(`BackgroundTasksModule option "durable.connection.url" must be ${expected}.`);
  }
}

function keepJobs(option: string, value: unknown, fallback: KeepJobs): KeepJobs {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return bounded(option, value, 'count', 0) as number;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(option, 'a boolean, an integer >= 0 or { age, count }', value);
  }
  const given = value as { age?: unknown; count?: unknown };
  checkKnownKeys(WHERE, `durable.${option}.`, given, ['age', 'count']);
  // `age` is in seconds (BullMQ's unit).
  bounded(`${option}.age`, given.age, 'count', 0, MAX_TIMER_MS);
  bounded(`${option}.count`, given.count, 'count', 0);
  return value as KeepJobs;
}

function resolveWorker(value: unknown): ResolvedDurableOptions['worker'] {
  if (value === false) return undefined;
  if (value === undefined || value === true) return { concurrency: 1 };
  if (typeof value !== 'object' || value === null) return fail('worker', 'a boolean or worker options', value);
  const given = value as DurableWorkerOptions;
  checkKnownKeys(WHERE, 'durable.worker.', given, ['concurrency', 'lockDuration', 'stalledInterval', 'maxStalledCount']);
  return {
    concurrency: bounded('worker.concurrency', given.concurrency, 'count', 1, 10_000) ?? 1,
    lockDuration: bounded('worker.lockDuration', given.lockDuration, 'ms'),
    stalledInterval: bounded('worker.stalledInterval', given.stalledInterval, 'ms'),
    maxStalledCount: bounded('worker.maxStalledCount', given.maxStalledCount, 'count', 0, 1000),
  };
}

/** Checks `durable` at startup; `undefined` when durable mode is off. */
export function resolveDurableOptions(value: unknown): ResolvedDurableOptions | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return fail('', 'an object', value);
  const given = value as DurableOptions;
  checkKnownKeys(WHERE, 'durable.', given, DURABLE_KEYS);
  if (given.queue !== undefined && (typeof given.queue !== 'object' || given.queue === null || typeof (given.queue as { addBulk?: unknown }).addBulk !== 'function')) {
    fail('queue', 'a BullMQ Queue', given.queue);
  }
  if (given.queue === undefined && (typeof given.connection !== 'object' || given.connection === null)) {
    fail('connection', 'Redis connection options or a client (or give durable.queue)', given.connection);
  }
  if (given.connection !== undefined && given.connection !== null && typeof given.connection === 'object') {
    checkConnection(given.connection as Record<string, unknown>);
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
    enqueueTimeout: bounded('enqueueTimeout', given.enqueueTimeout, 'ms') ?? 5_000,
    worker: resolveWorker(given.worker),
    removeOnComplete: keepJobs('removeOnComplete', given.removeOnComplete, { count: 1000 }),
    removeOnFail: keepJobs('removeOnFail', given.removeOnFail, { count: 10_000 }),
  };
}
