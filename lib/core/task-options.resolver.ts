import { describeValue } from './background-tasks.messages.js';
import { checkKnownKeys, MAX_RETRIES, MAX_TASK_NAME_LENGTH, showNumber } from './option-checks.js';
import type { BackoffOptions, ClientAbortPolicy, DependencyFailurePolicy, RunOn, TaskDefaults, TaskOptions } from '../interfaces/task-options.interface.js';
import { ScheduledTaskHandle } from './task-handle.js';

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
  /** `with({ after })`: the handles it waits for; undefined for most tasks (one read in the runner). */
  readonly after: readonly ScheduledTaskHandle[] | undefined;
  readonly ifDependencyFails: DependencyFailurePolicy;
}

/** Most dependencies one task may have. */
export const MAX_DEPENDENCIES = 1000;

const RUN_ON: readonly RunOn[] = ['success', 'always', 'error'];
const CLIENT_ABORT: readonly ClientAbortPolicy[] = ['run', 'drop'];
const retryEverything = () => true;
const TASK_OPTION_KEYS = ['name', 'timeout', 'retries', 'backoff', 'retryIf', 'runOn', 'onClientAbort', 'dedupe', 'after', 'ifDependencyFails'];
const PER_TASK_ONLY = ['name', 'dedupe', 'after', 'ifDependencyFails'];
const DEFAULT_OPTION_KEYS = TASK_OPTION_KEYS.filter((key) => !PER_TASK_ONLY.includes(key));
const BACKOFF_KEYS = ['type', 'delay', 'maxDelay', 'jitter'];

/** Names the option and describes the value by its kind; only a number is shown (never a string). */
function invalid(where: string, option: string, expected: string, value: unknown): TypeError {
  const shown = typeof value === 'number' ? ` (${showNumber(value)})` : '';
  return new TypeError(`${where}: option "${option}" must be ${expected}, but received ${describeValue(value)}${shown}.`);
}

/** `kind`: `'ms'` a number >= 0 or Infinity, `'finite'` a finite number >= 0, `'retries'` an integer 0-1000. */
function checkNumber(where: string, option: string, value: unknown, kind: 'ms' | 'finite' | 'retries'): number | undefined {
  if (value === undefined) return undefined;
  const ok =
    typeof value === 'number' &&
    value >= 0 &&
    (kind === 'ms' || Number.isFinite(value)) &&
    (kind !== 'retries' || (Number.isInteger(value) && value <= MAX_RETRIES));
  if (!ok) {
    const expected = kind === 'retries' ? `an integer from 0 to ${MAX_RETRIES}` : kind === 'finite' ? 'a finite number >= 0' : 'a number >= 0';
    throw invalid(where, option, expected, value);
  }
  return value as number;
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
  checkKnownKeys(where, 'backoff.', options, BACKOFF_KEYS);
  checkOneOf(where, 'backoff.type', options.type, ['exponential', 'fixed'] as const);
  checkNumber(where, 'backoff.delay', options.delay, 'finite');
  checkNumber(where, 'backoff.maxDelay', options.maxDelay, 'finite');
  if (options.jitter !== undefined && typeof options.jitter !== 'boolean') throw invalid(where, 'backoff.jitter', 'a boolean', options.jitter);
  return (attempt) => backoffDelay(options, attempt);
}

function backoffAsData(value: TaskOptions['backoff'], fallback: BackoffOptions | undefined): BackoffOptions | undefined {
  if (value === undefined) return fallback;
  if (typeof value === 'function') return undefined;
  const { type, delay, maxDelay, jitter } = value;
  return { type, delay, maxDelay, jitter };
}

/**
 * A backoff function's result as a pause: a finite number >= 0 as it is; `Infinity` means no further
 * attempt (`undefined`); anything else (NaN, a negative number, not a number) means no pause (0).
 */
export function retryPause(delay: unknown): number | undefined {
  if (delay === Infinity) return undefined;
  return typeof delay === 'number' && delay > 0 ? delay : 0;
}

/** Checks options given by a caller (`defaults`: the module's, without `name` and `dedupe`); throws a TypeError naming the bad one. */
export function checkTaskOptions(where: string, options: unknown, defaults = false, app?: object): TaskOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where} expects an options object, but received ${describeValue(options)}.`);
  }
  const given = options as TaskOptions;
  checkKnownKeys(where, '', given, defaults ? DEFAULT_OPTION_KEYS : TASK_OPTION_KEYS);
  const name = given.name;
  if (name !== undefined && (typeof name !== 'string' || name === '' || name.length > MAX_TASK_NAME_LENGTH)) {
    throw invalid(where, 'name', `a non-empty string of at most ${MAX_TASK_NAME_LENGTH} characters`, name);
  }
  checkNumber(where, 'timeout', given.timeout, 'ms');
  checkNumber(where, 'retries', given.retries, 'retries');
  checkBackoff(where, given.backoff);
  checkFunction(where, 'retryIf', given.retryIf);
  checkOneOf(where, 'runOn', given.runOn, RUN_ON);
  checkOneOf(where, 'onClientAbort', given.onClientAbort, CLIENT_ABORT);
  if (given.dedupe !== undefined && typeof given.dedupe !== 'boolean') throw invalid(where, 'dedupe', 'a boolean', given.dedupe);
  checkDependencies(where, given.after, app);
  checkOneOf(where, 'ifDependencyFails', given.ifDependencyFails, ['skip', 'run'] as const);
  if (given.ifDependencyFails !== undefined && given.after === undefined) {
    throw new TypeError(`${where}: option "ifDependencyFails" needs option "after".`);
  }
  return given;
}

/** `after`: a handle `addTask` returned in this app (`app`: its runner), or a list of 1 to 1000 of them. */
function checkDependencies(where: string, after: unknown, app: object | undefined): void {
  if (after === undefined) return;
  const list = Array.isArray(after) ? after : [after];
  const expected = `a task handle returned by addTask, or an array of 1 to ${MAX_DEPENDENCIES} of them`;
  if (list.length === 0 || list.length > MAX_DEPENDENCIES) throw invalid(where, 'after', expected, after);
  list.forEach((handle: unknown, index) => {
    const path = Array.isArray(after) ? `after[${index}]` : 'after';
    if (!ScheduledTaskHandle.is(handle)) throw invalid(where, path, 'a task handle returned by addTask', handle);
    if (app !== undefined && !handle.belongsTo(app)) {
      throw new TypeError(`${where}: option "${path}" is a task handle of another application.`);
    }
  });
}

/** Module defaults, checked once at startup. */
export function resolveTaskDefaults(defaults: TaskDefaults | undefined): ResolvedTaskOptions {
  const where = 'BackgroundTasksModule defaults';
  const given = defaults === undefined ? {} : checkTaskOptions(where, defaults, true);
  return {
    timeout: given.timeout ?? 0,
    retries: given.retries ?? 0,
    backoff: checkBackoff(where, given.backoff) ?? ((attempt) => backoffDelay({}, attempt)),
    backoffOptions: backoffAsData(given.backoff, {}),
    retryIf: given.retryIf ?? retryEverything,
    runOn: given.runOn ?? 'success',
    onClientAbort: given.onClientAbort ?? 'run',
    dedupe: true,
    after: undefined,
    ifDependencyFails: 'skip',
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
    after: options.after === undefined ? undefined : dependenciesOf(options.after),
    ifDependencyFails: options.ifDependencyFails ?? 'skip',
  };
}

/** The handles of a checked `after`, each once. */
function dependenciesOf(after: NonNullable<TaskOptions['after']>): readonly ScheduledTaskHandle[] {
  const list = (Array.isArray(after) ? after : [after]) as ScheduledTaskHandle[];
  return Object.freeze([...new Set(list)]);
}
