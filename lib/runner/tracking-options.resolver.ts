import { INVALID_OPTION } from '../core/background-tasks.messages.js';
import { checkKnownKeys } from '../core/option-checks.js';
import type { TaskTrackingOptions } from '../interfaces/task-tracking-options.interface.js';

/** `tracking` with every default filled in and every value checked. */
export interface ResolvedTrackingOptions {
  /** False under `tracking: false`: no store is attached to the runner. */
  readonly enabled: boolean;
  readonly maxEntries: number;
  /** In ms; `Infinity`: ended entries leave only by the bound. */
  readonly ttl: number;
  /** Largest JSON text of a result kept, in bytes; 0: results are not kept. */
  readonly resultMaxBytes: number;
}

export const DEFAULT_TRACKING_MAX_ENTRIES = 10_000;
export const DEFAULT_TRACKING_TTL = 3_600_000;
export const DEFAULT_RESULT_MAX_BYTES = 16_384;
const MAX_ENTRIES = 10_000_000;
const MAX_RESULT_BYTES = 16 * 1024 * 1024;

function integer(option: string, value: unknown, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new TypeError(INVALID_OPTION(`tracking.${option}`, `an integer from 1 to ${max}`, value));
  }
  return value;
}

/** Fails at startup naming the option (`tracking.ttl`...), never showing anything but a number. */
export function resolveTrackingOptions(tracking: TaskTrackingOptions | boolean | undefined): ResolvedTrackingOptions {
  if (tracking === undefined || typeof tracking === 'boolean') {
    return { enabled: tracking !== false, maxEntries: DEFAULT_TRACKING_MAX_ENTRIES, ttl: DEFAULT_TRACKING_TTL, resultMaxBytes: 0 };
  }
  if (typeof tracking !== 'object' || tracking === null || Array.isArray(tracking)) {
    throw new TypeError(INVALID_OPTION('tracking', 'an object or a boolean', tracking));
  }
  checkKnownKeys('BackgroundTasksModule options', 'tracking.', tracking, ['maxEntries', 'ttl', 'results']);
  const { ttl, results } = tracking;
  if (ttl !== undefined && !(typeof ttl === 'number' && ttl > 0)) {
    throw new TypeError(INVALID_OPTION('tracking.ttl', 'a number of ms > 0 (Infinity: no limit)', ttl));
  }
  let resultMaxBytes = 0;
  if (results === true) resultMaxBytes = DEFAULT_RESULT_MAX_BYTES;
  else if (typeof results === 'object' && results !== null && !Array.isArray(results)) {
    checkKnownKeys('BackgroundTasksModule options', 'tracking.results.', results, ['maxBytes']);
    resultMaxBytes = integer('results.maxBytes', results.maxBytes, MAX_RESULT_BYTES, DEFAULT_RESULT_MAX_BYTES);
  } else if (results !== undefined && results !== false) {
    throw new TypeError(INVALID_OPTION('tracking.results', 'a boolean or { maxBytes }', results));
  }
  return {
    enabled: true,
    maxEntries: integer('maxEntries', tracking.maxEntries, MAX_ENTRIES, DEFAULT_TRACKING_MAX_ENTRIES),
    ttl: ttl ?? DEFAULT_TRACKING_TTL,
    resultMaxBytes,
  };
}
