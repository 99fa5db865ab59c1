import type { DurationHistogramSnapshot } from '../interfaces/duration-histogram-snapshot.interface.js';

/** Upper bounds of the duration buckets, in ms (Prometheus' `le`); the last bucket is `+Inf`. */
export const DURATION_BUCKETS_MS: readonly number[] = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];

/** Counts observations per bucket; O(buckets) per observation, no allocation. */
export class DurationHistogram {
  private readonly counts = new Array<number>(DURATION_BUCKETS_MS.length + 1).fill(0);
  private total = 0;
  private sum = 0;

  observe(ms: number): void {
    let index = 0;
    while (index < DURATION_BUCKETS_MS.length && ms > DURATION_BUCKETS_MS[index]) index++;
    this.counts[index]++;
    this.total++;
    this.sum += ms;
  }

  snapshot(): DurationHistogramSnapshot {
    let cumulative = 0;
    const buckets = this.counts.map((count, index) => {
      cumulative += count;
      return Object.freeze({ le: DURATION_BUCKETS_MS[index] ?? Infinity, count: cumulative });
    });
    return Object.freeze({ buckets: Object.freeze(buckets), count: this.total, sum: this.sum });
  }
}
