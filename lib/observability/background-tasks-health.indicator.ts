import { Injectable } from '@nestjs/common';
import { TaskDrainer } from '../runner/task-drainer.js';
import { TaskRunner } from '../runner/task-runner.js';

/**
 * The result of one health check, in the shape `@nestjs/terminus` (11 and later) reads from an indicator:
 * `{ [key]: { status: 'up' | 'down', ...details } }`.
 *
 * @publicApi
 */
export type BackgroundTasksHealthResult<Key extends string = string> = Record<
  Key,
  {
    status: 'up' | 'down';
    running: number;
    queued: number;
    draining: boolean;
    /** Why it is down. */
    message?: string;
  }
>;

/**
 * Options of one health check.
 *
 * @publicApi
 */
export interface BackgroundTasksHealthOptions {
  /** Down when this many tasks (or more) wait to start. Default: the module's `maxQueued`. */
  maxQueued?: number;
}

/**
 * A `@nestjs/terminus` health indicator for readiness probes: down while the shutdown drain runs (and
 * after it: the application no longer takes tasks) or when the queue of tasks waiting to start reaches a
 * threshold. It returns terminus' result shape without importing terminus, so terminus stays an optional
 * dependency.
 *
 * ```ts
 * @Get('ready') @HealthCheck()
 * ready() { return this.health.check([() => this.tasks.isHealthy('backgroundTasks', { maxQueued: 500 })]); }
 * ```
 *
 * @publicApi
 */
@Injectable()
export class BackgroundTasksHealthIndicator {
  /** @internal */
  constructor(
    private readonly runner: TaskRunner,
    private readonly drainer: TaskDrainer,
  ) {}

  isHealthy<const Key extends string = 'backgroundTasks'>(
    key: Key = 'backgroundTasks' as Key,
    options: BackgroundTasksHealthOptions = {},
  ): BackgroundTasksHealthResult<Key> {
    const threshold = options.maxQueued ?? this.runner.options.maxQueued;
    if (typeof threshold !== 'number' || Number.isNaN(threshold) || threshold < 0) {
      throw new TypeError(`BackgroundTasksHealthIndicator.isHealthy(): maxQueued must be a number >= 0, but received ${String(threshold)}.`);
    }
    const details = { running: this.runner.running, queued: this.runner.queued, draining: this.drainer.draining };
    let message: string | undefined;
    if (details.draining) message = 'draining for shutdown';
    else if (!this.runner.accepting) message = 'shut down';
    else if (details.queued >= threshold) message = `${details.queued} tasks waiting (threshold ${threshold})`;
    const status = message === undefined ? 'up' : 'down';
    return { [key]: message === undefined ? { status, ...details } : { status, ...details, message } } as BackgroundTasksHealthResult<Key>;
  }
}
