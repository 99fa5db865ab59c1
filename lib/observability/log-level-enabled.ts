import { Logger, type LogLevel } from '@nestjs/common';

/**
 * Whether Nest would print a line at `level`. `Logger.isLevelEnabled()` answers that on Nest 12, but on
 * Nest 11 it says false whenever no levels were configured (a custom logger instance, the default
 * logger), although then every level is printed. So only an explicit level list (`logger: ['error',
 * 'warn']`, `app.useLogger([...])`), which both majors keep in `Logger.logLevels`, can rule a line out.
 */
export function isLogLevelEnabled(level: LogLevel): boolean {
  if (Logger.isLevelEnabled(level)) return true;
  return (Logger as unknown as { logLevels?: unknown }).logLevels === undefined;
}
