/** The longest delay `setTimeout` can hold; a longer one fires after 1 ms (Node's TimeoutOverflowWarning). */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** A delay longer than `MAX_TIMER_DELAY`, waited out as a chain of timers. */
class ChainedTimer {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly callback: () => void,
    private readonly until: number,
  ) {
    this.arm();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    const left = this.until - Date.now();
    if (left <= MAX_TIMER_DELAY) {
      this.timer = setTimeout(this.callback, Math.max(0, left));
      return;
    }
    this.timer = setTimeout(() => this.arm(), MAX_TIMER_DELAY);
  }
}

/** What `startTimer` returns: a plain Node timer in the common case, so no object is made for it. */
export type TimerHandle = NodeJS.Timeout | ChainedTimer;

/**
 * `setTimeout` for any delay in ms: `Infinity` never fires (undefined, no timer at all), delays above
 * `MAX_TIMER_DELAY` are chained instead of collapsing to 1 ms, NaN and negatives fire at once.
 */
export function startTimer(callback: () => void, delay: number): TimerHandle | undefined {
  if (delay === Infinity) return undefined;
  if (delay > MAX_TIMER_DELAY) return new ChainedTimer(callback, Date.now() + delay);
  return setTimeout(callback, delay > 0 ? delay : 0);
}

export function stopTimer(handle: TimerHandle | undefined): void {
  if (handle === undefined) return;
  if (handle instanceof ChainedTimer) handle.clear();
  else clearTimeout(handle);
}
