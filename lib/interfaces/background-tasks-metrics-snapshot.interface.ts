import type { DurationHistogramSnapshot } from './duration-histogram-snapshot.interface.js';

/**
 * Counters since the application started: each task ends in exactly one of the outcome counters, so
 * `added = succeeded + failed + timedOut + cancelled + dropped + abandoned + enqueued + outstanding`.
 *
 * @publicApi
 */
export interface BackgroundTasksCounters {
  readonly added: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timedOut: number;
  readonly cancelled: number;
  readonly dropped: number;
  readonly abandoned: number;
  /** Durable tasks handed to BullMQ (their runs are counted by the worker's own metrics). */
  readonly enqueued: number;
  /** Attempts after a task's first one. */
  readonly retries: number;
}

/**
 * What `BackgroundTasksMetrics.snapshot()` returns.
 *
 * @publicApi
 */
export interface BackgroundTasksMetricsSnapshot {
  /** False unless the module has `metrics: true`: then counters and the histogram stay at zero. */
  readonly enabled: boolean;
  readonly counters: BackgroundTasksCounters;
  readonly gauges: {
    /** Tasks running right now. */
    readonly running: number;
    /** Tasks added and not started (waiting for their response, their turn or a slot). */
    readonly queued: number;
    /** True while the shutdown drain is under way. */
    readonly draining: boolean;
  };
  /** Durations of tasks that ran (succeeded, failed or timed out), first attempt to end, in ms. */
  readonly duration: DurationHistogramSnapshot;
}
