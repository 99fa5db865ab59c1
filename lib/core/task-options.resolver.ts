import { describeValue } from './background-tasks.messages.js';
import type { BackoffOptions, ClientAbortPolicy, RunOn, TaskDefaults, TaskOptions } from '../interfaces/task-options.interface.js';

/** Every task option with its value decided: module defaults under the task's own. */
export interface ResolvedTaskOptions {
  readonly timeout: number;
  readonly retries: number;
  readonly backoff: (attempt: number, error: unknown) => number;
  /** `backoff` as data, when it was given as options (or not at all): what a durable task can carry. */
  readonly backoffOptions?: BackoffOptions;
  readonly retryIf: (error: unknown) => boolean;
  readonly runOn: RunOn;
  readonly onClientAbort: ClientAbortPolicy;
  readonly dedupe: boolean;
}

const RUN_ON: readonly RunOn[] = ['success', 'always', 'error'];
const CLIENT_ABORT: readonly ClientAbortPolicy[] = ['run', 'drop'];
const retryEverything = () => true;

function invalid(where: string, option: string, expected: string, value: unknown): TypeError {
  const shown = typeof value === 'number' || typeof value === 'string' ? ` (${JSON.stringify(value)})` : '';
  return new TypeError(`${where}: option "${option}" must be ${expected}, but received ${describeValue(value)}${shown}.`);
}

function checkNumber(where: string, option: string, value: unknown, integer = false): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw invalid(where, option, integer ? 'an integer >= 0' : 'a number >= 0', value);
  }
  return value;
}

function checkOneOf<T extends string>(where: string, option: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw invalid(where, option, allowed.map((v) => `'${v}'`).join(' | '), value);
  return value as T;
}

function checkFunction<T>(where: string, option: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw invalid(where, option, 'a function', value);
  return value as T;
}

/** Delay before attempt `attempt + 1`, after attempt `attempt` failed. */
export function backoffDelay(options: BackoffOptions, attempt: number, random = Math.random): number {
  const base = options.delay ?? 200;
  const cap = options.maxDelay ?? 30_000;
  const raw = options.type === 'fixed' ? base : base * 2 ** (attempt - 1);
  const bounded = Math.min(cap, raw);
  return options.jitter === false ? bounded : Math.round(bounded * random());
}

function checkBackoff(where: string, value: unknown): ResolvedTaskOptions['backoff'] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value as ResolvedTaskOptions['backoff'];
  if (typeof value !== 'object' || value === null) throw invalid(where, 'backoff', 'an object or a function', value);
  const options = value as BackoffOptions;
  checkOneOf(where, 'backoff.type', options.type, ['exponential', 'fixed'] as const);
  checkNumber(where, 'backoff.delay', options.delay);
  checkNumber(where, 'backoff.maxDelay', options.maxDelay);
  return (attempt) => backoffDelay(options, attempt);
}

function backoffAsData(value: TaskOptions['backoff'], fallback: BackoffOptions | undefined): BackoffOptions | undefined {
  if (value === undefined) return fallback;
  if (typeof value === 'function') return undefined;
  const { type, delay, maxDelay, jitter } = value;
  return { type, delay, maxDelay, jitter };
}

/** Checks options given by a caller; throws a TypeError naming the bad one. */
export function checkTaskOptions(where: string, options: unknown): TaskOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where} expects an options object, but received ${describeValue(options)}.`);
  }
  const given = options as TaskOptions;
  if (given.name !== undefined && (typeof given.name !== 'string' || given.name === '')) {
    throw invalid(where, 'name', 'a non-empty string', given.name);
  }
  checkNumber(where, 'timeout', given.timeout);
  checkNumber(where, 'retries', given.retries, true);
  checkBackoff(where, given.backoff);
  checkFunction(where, 'retryIf', given.retryIf);
  checkOneOf(where, 'runOn', given.runOn, RUN_ON);
  checkOneOf(where, 'onClientAbort', given.onClientAbort, CLIENT_ABORT);
  if (given.dedupe !== undefined && typeof given.dedupe !== 'boolean') throw invalid(where, 'dedupe', 'a boolean', given.dedupe);
  return given;
}

/** Module defaults, checked once at startup. */
export function resolveTaskDefaults(defaults: TaskDefaults | undefined): ResolvedTaskOptions {
  const where = 'BackgroundTasksModule defaults';
  const given = defaults === undefined ? {} : checkTaskOptions(where, defaults);
  return {
    timeout: given.timeout ?? 0,
    retries: given.retries ?? 0,
    backoff: checkBackoff(where, given.backoff) ?? ((attempt) => backoffDelay({}, attempt)),
    backoffOptions: backoffAsData(given.backoff, {}),
    retryIf: given.retryIf ?? retryEverything,
    runOn: given.runOn ?? 'success',
    onClientAbort: given.onClientAbort ?? 'run',
    dedupe: true,
  };
}

/** A task's options over the module's defaults; `options` must have passed `checkTaskOptions`. */
export function mergeTaskOptions(defaults: ResolvedTaskOptions, options: TaskOptions | undefined): ResolvedTaskOptions {
  if (options === undefined) return defaults;
  return {
    timeout: options.timeout ?? defaults.timeout,
    retries: options.retries ?? defaults.retries,
    backoff: checkBackoff('', options.backoff) ?? defaults.backoff,
    backoffOptions: backoffAsData(options.backoff, defaults.backoffOptions),
    retryIf: options.retryIf ?? defaults.retryIf,
    runOn: options.runOn ?? defaults.runOn,
    onClientAbort: options.onClientAbort ?? defaults.onClientAbort,
    dedupe: options.dedupe ?? defaults.dedupe,
  };
}
