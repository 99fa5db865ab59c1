/**
 * How the shutdown drain went, as `onDrain` sees it.
 *
 * @publicApi
 */
export interface DrainInfo {
  /** `drained`: every task finished in time; `deadline`: the rest was abandoned at `drainTimeout`. */
  readonly outcome: 'drained' | 'deadline';
  /** Tasks outstanding (running, pending, or waiting for their response) when the drain began. */
  readonly outstandingAtStart: number;
  /** Tasks abandoned at the deadline (0 when drained). */
  readonly abandoned: number;
  /** From the start of the drain to its end, in ms. */
  readonly durationMs: number;
}
