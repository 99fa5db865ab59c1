import { ConsoleLogger, Logger, type LogLevel, type LoggerService } from '@nestjs/common';

/** What Nest's `Logger` keeps statically: the app's logger and the levels given to `useLogger`/`logger`. */
interface LoggerStatics {
  staticInstanceRef?: LoggerService & { options?: { logLevels?: unknown } };
  logLevels?: unknown;
}

type Answers = Record<LogLevel, boolean | undefined>;

/** No level asked yet; one shape for every set of answers. */
function noAnswers(): Answers {
  return { log: undefined, error: undefined, warn: undefined, debug: undefined, verbose: undefined, fatal: undefined };
}

/** Answers per level, valid while the three parts of Nest's logging set-up below keep their identity. */
let answers = noAnswers();
let answeredForInstance: unknown;
let answeredForLevels: unknown;
let answeredForInstanceLevels: unknown;

/**
 * Whether Nest would print a line at `level`, so that a line it would drop is not even formatted.
 *
 * Asked twice for every task, so the answer is kept until the app's logger, `Logger.logLevels` or the
 * `ConsoleLogger`'s own level list is replaced, which is what `useLogger`, `overrideLogger` and
 * `setLogLevels` do (Nest's own check walks the level list on every call).
 */
export function isLogLevelEnabled(level: LogLevel): boolean {
  const statics = Logger as unknown as LoggerStatics;
  const instance = statics.staticInstanceRef;
  const levels = statics.logLevels;
  const instanceLevels = instance?.options?.logLevels;
  if (instance !== answeredForInstance || levels !== answeredForLevels || instanceLevels !== answeredForInstanceLevels) {
    answers = noAnswers();
    answeredForInstance = instance;
    answeredForLevels = levels;
    answeredForInstanceLevels = instanceLevels;
  }
  return (answers[level] ??= askNest(level, instance, levels));
}

/**
 * Nest's answer, the same on Nest 11 and 12. A `ConsoleLogger` (the default one, or the app's) knows its
 * levels. Any other logger prints every level unless a level list was given to Nest: Nest 11's
 * `Logger.isLevelEnabled()` says false when there is none, so it is asked only when there is one.
 */
function askNest(level: LogLevel, instance: LoggerStatics['staticInstanceRef'], levels: unknown): boolean {
  if (instance === undefined) return false; // `logger: false`
  if (instance instanceof ConsoleLogger) return instance.isLevelEnabled(level);
  return levels === undefined || Logger.isLevelEnabled(level);
}
