/**
 * A duration histogram with fixed buckets, as Prometheus reads them: cumulative counts per upper bound.
 *
 * @publicApi
 */
export interface DurationHistogramSnapshot {
  /** `le` is the bucket's upper bound in ms (`Infinity` for the last); `count` is cumulative. */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  readonly count: number;
  /** Sum of all observed durations, in ms. */
  readonly sum: number;
}
