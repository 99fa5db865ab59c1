import type { LoggerService } from '@nestjs/common';

export interface LogLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
  context?: string;
  stack?: string;
}

type Waiter = { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void };

/** Keeps every line Nest's Logger writes, so tests can assert on them and await them. */
export class CaptureLogger implements LoggerService {
  readonly lines: LogLine[] = [];
  private waiters: Waiter[] = [];

  log(message: unknown, context?: string) {
    this.push({ level: 'log', message: String(message), context });
  }
  error(message: unknown, stackOrContext?: string, context?: string) {
    const hasStack = context !== undefined;
    this.push({
      level: 'error',
      message: String(message),
      stack: hasStack ? stackOrContext : undefined,
      context: hasStack ? context : stackOrContext,
    });
  }
  warn(message: unknown, context?: string) {
    this.push({ level: 'warn', message: String(message), context });
  }
  debug(message: unknown, context?: string) {
    this.push({ level: 'debug', message: String(message), context });
  }
  verbose(message: unknown, context?: string) {
    this.push({ level: 'verbose', message: String(message), context });
  }
  fatal(message: unknown, context?: string) {
    this.push({ level: 'fatal', message: String(message), context });
  }

  /** Lines written with the library's context. */
  ours(level?: LogLine['level']): LogLine[] {
    return this.lines.filter((line) => line.context === 'BackgroundTasks' && (!level || line.level === level));
  }

  /** Resolves with the first line (already written or to come) that matches. */
  waitFor(predicate: (line: LogLine) => boolean): Promise<LogLine> {
    const found = this.lines.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  private push(line: LogLine) {
    this.lines.push(line);
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.predicate(line)) waiter.resolve(line);
      else this.waiters.push(waiter);
    }
  }
}
