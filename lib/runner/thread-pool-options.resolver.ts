import { availableParallelism } from 'node:os';
import { INVALID_OPTION } from '../core/background-tasks.messages.js';
import { checkKnownKeys, MAX_TIMER_MS } from '../core/option-checks.js';
import type { ThreadPoolOptions } from '../interfaces/thread-pool-options.interface.js';

/** `threads` with every default filled in and every value checked. */
export interface ResolvedThreadPoolOptions {
  readonly maxThreads: number;
  readonly maxQueue: number;
  readonly idleTimeout: number;
  readonly abortGracePeriod: number;
}

const THREAD_KEYS = ['maxThreads', 'maxQueue', 'idleTimeout', 'abortGracePeriod'];
/** More threads than this is a typo: each one is a V8 isolate with its own heap. */
const MAX_THREADS = 1024;

function number(option: keyof ThreadPoolOptions, value: unknown, ok: (value: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !ok(value)) throw new TypeError(INVALID_OPTION(`threads.${option}`, expected, value));
  return value;
}

/** Fails at startup, naming the option, when `threads` is wrong. */
export function resolveThreadPoolOptions(raw: unknown): ResolvedThreadPoolOptions {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new TypeError(INVALID_OPTION('threads', 'an object', raw));
  }
  const given = (raw ?? {}) as ThreadPoolOptions;
  checkKnownKeys('BackgroundTasksModule options', 'threads.', given, THREAD_KEYS);
  const isCount = (max: number) => (value: number) => Number.isInteger(value) && value >= 1 && value <= max;
  return {
    maxThreads:
      number('maxThreads', given.maxThreads, isCount(MAX_THREADS), `an integer from 1 to ${MAX_THREADS}`) ??
      Math.max(1, availableParallelism() - 1),
    maxQueue:
      number('maxQueue', given.maxQueue, (value) => value === Infinity || isCount(Number.MAX_SAFE_INTEGER)(value), 'an integer >= 1 or Infinity') ??
      Infinity,
    idleTimeout:
      number('idleTimeout', given.idleTimeout, (value) => value === Infinity || (value >= 0 && value <= MAX_TIMER_MS), `a number of ms from 0 to ${MAX_TIMER_MS}, or Infinity`) ??
      30_000,
    abortGracePeriod:
      number('abortGracePeriod', given.abortGracePeriod, (value) => value >= 0 && value <= MAX_TIMER_MS, `a number of ms from 0 to ${MAX_TIMER_MS}`) ??
      1000,
  };
}
