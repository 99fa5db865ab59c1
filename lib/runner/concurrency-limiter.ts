import { FifoQueue } from './fifo-queue.js';

/**
 * At most `limit` holders at once; the others wait in arrival order. A free slot is taken synchronously
 * (`tryAcquire`), so the common case allocates nothing.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting = new FifoQueue<() => void>();
  /** `waiting.length`, kept here: every release asks, and nearly always nobody waits. */
  private waiters = 0;

  constructor(private readonly limit: number) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters;
  }

  /** Takes a slot if one is free. */
  tryAcquire(): boolean {
    if (this.active >= this.limit) return false;
    this.active++;
    return true;
  }

  /** Resolves once a slot is this caller's (handed over by `release`, so `active` stays counted). */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    this.waiters++;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives a slot back: to the longest waiter, or to the pool. Call once per slot taken. */
  release(): void {
    if (this.waiters === 0) {
      this.active--;
      return;
    }
    this.waiters--;
    (this.waiting.shift() as () => void)();
  }
}
