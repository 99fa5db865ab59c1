import { INVALID_OPTION } from '../core/background-tasks.messages.js';
import type { TaskLogLevel, TaskLogLevels } from '../interfaces/task-log-levels.interface.js';

/** Every lifecycle line with its level decided. */
export type ResolvedTaskLogLevels = Required<TaskLogLevels>;

/**
 * Quiet by default: Nest's default logger prints every level, debug included, so a line per start and per
 * success would be two lines per task in production. What needs a look (retries, failures, timeouts)
 * is logged; `logLevels: { started: 'debug', succeeded: 'debug' }` brings the other two back.
 */
const DEFAULT_LOG_LEVELS: ResolvedTaskLogLevels = {
  started: false,
  succeeded: false,
  retrying: 'warn',
  failed: 'error',
  timedOut: 'error',
};

const LEVELS: readonly TaskLogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal', false];

/** The module's `logLevels` over the defaults; fails at startup on an unknown line or level. */
export function resolveLogLevels(given: TaskLogLevels | undefined): ResolvedTaskLogLevels {
  if (given === undefined) return DEFAULT_LOG_LEVELS;
  if (typeof given !== 'object' || given === null) {
    throw new TypeError(INVALID_OPTION('logLevels', 'an object', given));
  }
  const resolved: Record<string, TaskLogLevel> = { ...DEFAULT_LOG_LEVELS };
  for (const [line, level] of Object.entries(given)) {
    if (!(line in DEFAULT_LOG_LEVELS)) {
      throw new TypeError(
        `BackgroundTasksModule option "logLevels" has no line "${line}" (known: ${Object.keys(DEFAULT_LOG_LEVELS).join(', ')}).`,
      );
    }
    if (level === undefined) continue;
    if (!LEVELS.includes(level)) {
      throw new TypeError(INVALID_OPTION(`logLevels.${line}`, "a log level ('debug', 'warn'...) or false", level));
    }
    resolved[line] = level;
  }
  return resolved as ResolvedTaskLogLevels;
}
