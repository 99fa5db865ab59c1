import { DEFAULT_DRAIN_TIMEOUT } from './background-tasks.constants.js';
import { INVALID_OPTION } from './background-tasks.messages.js';
import type { BackgroundTasksModuleOptions } from './interfaces/background-tasks-module-options.interface.js';

/** Module options with every default filled in and every value checked. */
export interface ResolvedBackgroundTasksOptions {
  readonly drainTimeout: number;
}

function nonNegativeNumber(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError(INVALID_OPTION(option, 'a number >= 0 (ms)', value));
  }
  return value;
}

/** Fails at startup, not at the first request, when an option is wrong. */
export function resolveOptions(options: BackgroundTasksModuleOptions | undefined): ResolvedBackgroundTasksOptions {
  const raw = options ?? {};
  return {
    drainTimeout: nonNegativeNumber('drainTimeout', raw.drainTimeout, DEFAULT_DRAIN_TIMEOUT),
  };
}
