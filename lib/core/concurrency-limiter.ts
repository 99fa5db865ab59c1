import { FifoQueue } from './fifo-queue.js';

/**
 * At most `limit` holders at once; the others wait in arrival order. A free slot is taken synchronously
 * (`tryAcquire`), so the common case allocates nothing.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting = new FifoQueue<() => void>();

  constructor(private readonly limit: number) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
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
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives a slot back: to the longest waiter, or to the pool. Call once per slot taken. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
