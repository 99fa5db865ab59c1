import { Injectable, Logger } from '@nestjs/common';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import type {
  BackgroundTasksCounters,
  BackgroundTasksMetricsSnapshot,
} from '../interfaces/background-tasks-metrics-snapshot.interface.js';
import type { TaskEndInfo, TaskInfo, TaskOutcome } from '../interfaces/task-info.interface.js';
import { TaskDrainer } from '../runner/task-drainer.js';
import { TaskRunner } from '../runner/task-runner.js';
import { DurationHistogram } from './duration-histogram.js';

type MutableCounters = { -readonly [K in keyof BackgroundTasksCounters]: number };

const COUNTER_OF: Record<TaskOutcome, keyof BackgroundTasksCounters> = {
  succeeded: 'succeeded',
  failed: 'failed',
  'timed-out': 'timedOut',
  cancelled: 'cancelled',
  dropped: 'dropped',
  abandoned: 'abandoned',
  enqueued: 'enqueued',
};

/**
 * Task metrics of this application: counters per outcome and a duration histogram (with the module's
 * `metrics: true`), and the running / queued gauges (always). Read it from a `/metrics` route or feed it
 * to your metrics library.
 *
 * @publicApi
 */
@Injectable()
export class BackgroundTasksMetrics {
  private readonly counts: MutableCounters = {
    added: 0,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    cancelled: 0,
    dropped: 0,
    abandoned: 0,
    enqueued: 0,
    retries: 0,
  };
  private readonly durations = new DurationHistogram();
  private warnedDisabled = false;

  /** @internal */
  constructor(
    private readonly runner: TaskRunner,
    private readonly drainer: TaskDrainer,
  ) {
    // Subscribing only when asked keeps unused metrics off the hot path.
    if (!runner.options.metrics) return;
    runner.events.onAdd(() => void this.counts.added++, 'metrics');
    runner.events.onStart((info: TaskInfo) => void (info.attempt > 1 && this.counts.retries++), 'metrics');
    runner.events.onEnd((info: TaskEndInfo) => this.record(info), 'metrics');
  }

  /** False unless the module was configured with `metrics: true`. */
  get enabled(): boolean {
    return this.runner.options.metrics;
  }

  /** Tasks running right now. */
  get running(): number {
    return this.runner.running;
  }

  /** Tasks added and not started yet. */
  get queued(): number {
    return this.runner.queued;
  }

  /** Everything at once, as plain frozen data. */
  snapshot(): BackgroundTasksMetricsSnapshot {
    if (!this.enabled && !this.warnedDisabled) {
      this.warnedDisabled = true;
      new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT).warn(
        'BackgroundTasksMetrics: counters stay at 0 unless BackgroundTasksModule.forRoot({ metrics: true }); gauges are live.',
      );
    }
    return Object.freeze({
      enabled: this.enabled,
      counters: Object.freeze({ ...this.counts }),
      gauges: Object.freeze({ running: this.running, queued: this.queued, draining: this.drainer.draining }),
      duration: this.durations.snapshot(),
    });
  }

  private record(info: TaskEndInfo): void {
    this.counts[COUNTER_OF[info.outcome]]++;
    if (info.outcome === 'succeeded' || info.outcome === 'failed' || info.outcome === 'timed-out') {
      this.durations.observe(info.durationMs);
    }
  }
}
