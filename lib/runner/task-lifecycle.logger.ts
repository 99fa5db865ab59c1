import { performance } from 'node:perf_hooks';
import { Logger, type LogLevel } from '@nestjs/common';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import {
  TASK_FAILED,
  TASK_RETRYING,
  TASK_STARTED,
  TASK_SUCCEEDED,
  TASK_TIMED_OUT,
} from '../core/background-tasks.messages.js';
import type { TaskLogLevel } from '../interfaces/task-log-levels.interface.js';
import { describeError } from '../core/describe-error.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import { isLogLevelEnabled } from './log-level-enabled.js';
import type { ResolvedTaskLogLevels } from './task-log-levels.resolver.js';

/** Where a task came from, as its log lines name it (`POST /signup`, `no request`): asked only when a line is written. */
interface Where {
  describe(): string;
}

/**
 * Writes one line per lifecycle step of a task through Nest's `Logger`, at the level the module's
 * `logLevels` gives it. Lines name the task, the attempt, the duration and the request's method and route;
 * never the arguments. A line whose level Nest would not print is not even formatted: `started` and
 * `succeeded` happen for every task and default to `debug`, which production loggers often leave out.
 */
export class TaskLifecycleLogger {
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);

  constructor(private readonly levels: ResolvedTaskLogLevels) {}

  started(task: ScheduledTask, where: Where): void {
    const level = this.enabled(this.levels.started);
    if (level) this.write(level, TASK_STARTED(task.name, where.describe(), task.attempt, task.options.retries + 1));
  }

  /** `durationMs` when the caller has it; else the clock is read only if the line is written. */
  succeeded(task: ScheduledTask, where: Where, durationMs?: number): void {
    const level = this.enabled(this.levels.succeeded);
    if (level) {
      const took = durationMs ?? task.durationMs();
      this.write(level, TASK_SUCCEEDED(task.name, where.describe(), took, task.attempt, task.options.retries + 1));
    }
  }

  retrying(task: ScheduledTask, where: Where, error: unknown, delay: number): void {
    const level = this.enabled(this.levels.retrying);
    if (!level) return;
    const { message } = describeError(error);
    const max = task.options.retries + 1;
    this.write(level, `${TASK_RETRYING(task.name, where.describe(), task.attempt, max, elapsed(task), delay)}: ${message}`);
  }

  failed(task: ScheduledTask, where: Where, error: unknown, durationMs: number): void {
    const level = this.enabled(this.levels.failed);
    if (!level) return;
    const { message, stack } = describeError(error);
    this.write(level, `${TASK_FAILED(task.name, where.describe(), task.attempt, durationMs)}: ${message}`, stack);
  }

  timedOut(task: ScheduledTask, where: Where, durationMs: number): void {
    const level = this.enabled(this.levels.timedOut);
    if (!level) return;
    const max = task.options.retries + 1;
    this.write(level, TASK_TIMED_OUT(task.name, where.describe(), task.options.timeout, task.attempt, max, durationMs));
  }

  /** The level to write at, or undefined when the line is off or Nest's logger would drop it. */
  private enabled(level: TaskLogLevel): LogLevel | undefined {
    return level !== false && isLogLevelEnabled(level) ? level : undefined;
  }

  private write(level: LogLevel, message: string, stack?: string): void {
    if (level === 'error') this.logger.error(message, stack);
    else this.logger[level](stack ? `${message}\n${stack}` : message);
  }
}

/** Ms since the task's first attempt started. */
export function elapsed(task: ScheduledTask): number {
  return task.startedAt === undefined ? 0 : performance.now() - task.startedAt;
}
