import { DEFAULT_DRAIN_TIMEOUT } from '../core/background-tasks.constants.js';
import { describeValue, INVALID_OPTION } from '../core/background-tasks.messages.js';
import { checkKnownKeys } from '../core/option-checks.js';
import { resolveDurableOptions, type ResolvedDurableOptions } from './durable-options.resolver.js';
import type {
  BackgroundTasksModuleOptions,
  BackgroundTasksTestMode,
  QueueOverflowPolicy,
} from '../interfaces/background-tasks-module-options.interface.js';
import { resolveLogLevels, type ResolvedTaskLogLevels } from './task-log-levels.resolver.js';
import { resolveTrackingOptions, type ResolvedTrackingOptions } from './tracking-options.resolver.js';
import { resolveTaskDefaults, type ResolvedTaskOptions } from '../core/task-options.resolver.js';
import { resolveThreadPoolOptions, type ResolvedThreadPoolOptions } from './thread-pool-options.resolver.js';

/** Default `loopBlockWarning`, in ms: see its TSDoc. */
export const DEFAULT_LOOP_BLOCK_WARNING = 100;

/** Module options with every default filled in and every value checked. */
export interface ResolvedBackgroundTasksOptions {
  readonly drainTimeout: number;
  readonly defaults: ResolvedTaskOptions;
  readonly concurrency: number;
  readonly maxConcurrent: number;
  readonly maxQueued: number;
  readonly onQueueFull: QueueOverflowPolicy;
  readonly onTaskError?: BackgroundTasksModuleOptions['onTaskError'];
  readonly onTaskStart?: BackgroundTasksModuleOptions['onTaskStart'];
  readonly onTaskEnd?: BackgroundTasksModuleOptions['onTaskEnd'];
  readonly onDrain?: BackgroundTasksModuleOptions['onDrain'];
  readonly logLevels: ResolvedTaskLogLevels;
  readonly metrics: boolean;
  /** `'auto'`: on when a tracer provider is registered at module init. */
  readonly tracing: boolean | 'auto';
  readonly testMode: BackgroundTasksTestMode;
  /** Undefined when durable mode is off. */
  readonly durable?: ResolvedDurableOptions;
  readonly threads: ResolvedThreadPoolOptions;
  /** ms; `Infinity` when off (`false`). */
  readonly loopBlockWarning: number;
  readonly tracking: ResolvedTrackingOptions;
}

const TEST_MODES: readonly BackgroundTasksTestMode[] = ['background', 'inline', 'record'];
/** Every option; the extras (`isGlobal`, `requestScoped`, `globalInterceptor`) are read by the module itself. */
const MODULE_OPTION_KEYS = [
  'drainTimeout', 'defaults', 'concurrency', 'maxConcurrent', 'maxQueued', 'onQueueFull', 'onTaskError', 'onTaskStart',
  'onTaskEnd', 'onDrain', 'logLevels', 'metrics', 'tracing', 'testMode', 'durable', 'threads', 'loopBlockWarning', 'tracking', 'isGlobal', 'requestScoped', 'globalInterceptor',
];

function nonNegativeNumber(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError(INVALID_OPTION(option, 'a number >= 0 (ms)', value));
  }
  return value;
}

function positiveInteger(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(Number.isInteger(value) || value === Infinity) || value < 1) {
    throw new TypeError(INVALID_OPTION(option, 'an integer >= 1', value));
  }
  return value;
}

/** Fails at startup, not at the first request, when an option is wrong. */
export function resolveOptions(options: BackgroundTasksModuleOptions | undefined): ResolvedBackgroundTasksOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new TypeError(`BackgroundTasksModule options must be an object, but received ${describeValue(options)}.`);
  }
  const raw = options ?? {};
  checkKnownKeys('BackgroundTasksModule options', '', raw, MODULE_OPTION_KEYS);
  if (raw.onQueueFull !== undefined && raw.onQueueFull !== 'reject' && raw.onQueueFull !== 'run') {
    throw new TypeError(INVALID_OPTION('onQueueFull', "'reject' | 'run'", raw.onQueueFull));
  }
  for (const hook of ['onTaskError', 'onTaskStart', 'onTaskEnd', 'onDrain'] as const) {
    if (raw[hook] !== undefined && typeof raw[hook] !== 'function') {
      throw new TypeError(INVALID_OPTION(hook, 'a function', raw[hook]));
    }
  }
  for (const flag of ['metrics', 'tracing'] as const) {
    if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean') {
      throw new TypeError(INVALID_OPTION(flag, 'a boolean', raw[flag]));
    }
  }
  const loopBlockWarning = raw.loopBlockWarning;
  if (loopBlockWarning !== undefined && loopBlockWarning !== false && !(typeof loopBlockWarning === 'number' && loopBlockWarning > 0)) {
    throw new TypeError(INVALID_OPTION('loopBlockWarning', 'a number of ms > 0, or false', loopBlockWarning));
  }
  if (raw.testMode !== undefined && !TEST_MODES.includes(raw.testMode)) {
    throw new TypeError(INVALID_OPTION('testMode', "'background' | 'inline' | 'record'", raw.testMode));
  }
  return {
    drainTimeout: nonNegativeNumber('drainTimeout', raw.drainTimeout, DEFAULT_DRAIN_TIMEOUT),
    defaults: resolveTaskDefaults(raw.defaults),
    concurrency: positiveInteger('concurrency', raw.concurrency, 1),
    maxConcurrent: positiveInteger('maxConcurrent', raw.maxConcurrent, 64),
    maxQueued: positiveInteger('maxQueued', raw.maxQueued, 10_000),
    onQueueFull: raw.onQueueFull ?? 'reject',
    onTaskError: raw.onTaskError,
    onTaskStart: raw.onTaskStart,
    onTaskEnd: raw.onTaskEnd,
    onDrain: raw.onDrain,
    logLevels: resolveLogLevels(raw.logLevels),
    metrics: raw.metrics ?? false,
    tracing: raw.tracing ?? 'auto',
    testMode: raw.testMode ?? 'background',
    durable: resolveDurableOptions(raw.durable),
    threads: resolveThreadPoolOptions(raw.threads),
    loopBlockWarning: loopBlockWarning === false ? Infinity : (loopBlockWarning ?? DEFAULT_LOOP_BLOCK_WARNING),
    tracking: resolveTrackingOptions(raw.tracking),
  };
}
