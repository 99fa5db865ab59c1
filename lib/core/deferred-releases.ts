import { describeError } from './describe-error.js';

/** Where a failed release is reported (Nest's `Logger` is one). */
export interface ErrorLog {
  error(message: string, stack?: string): void;
}

/** What waits here: a batch that learned of its response, or whose response closed, in this turn. */
export interface DeferredRelease {
  release(): void;
  describe(): string;
}

/**
 * Batches with something to do once this turn's I/O is done, all done by one `setImmediate` after the
 * turn's I/O callbacks have run: a batch that learned of its response in this turn looks at it there
 * (`TaskBatch.watchResponse`), and a batch whose response closed is released there, instead of inside
 * its response's `close`.
 *
 * Why: under load one turn reads and answers many requests, one after another. Work done before a
 * response's write, or inside its `close`, sits between that response's write and the next one's, and on
 * a VM each write that finds the client idle has to wake it across cores. On Fastify, ~3 us of work per
 * request put most runs in a mode ~30% slower when it ran before the write, and cost about nothing in a
 * `setImmediate`. The tasks still start after their response has been sent,
 * in the same turn, as a fire-and-forget `setImmediate`'s would.
 */
export class DeferredReleases<T extends DeferredRelease> {
  private waiting: T[] = [];
  /** The other list, reused: a busy server releases on every turn, which must not allocate. */
  private spare: T[] = [];
  private scheduled = false;
  /** The list being flushed, and the index of the entry being released in it (those before are done). */
  private flushing: T[] = [];
  private next = 0;

  constructor(private readonly logger: ErrorLog) {}

  add(batch: T): void {
    this.waiting.push(batch);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  /**
   * The entries whose turn-end call has not ended yet (a copy). Batches awaiting their look are in the
   * runner's busy set only once looked at, so a shutdown drain counts and abandons these too.
   */
  toArray(): T[] {
    return [...this.flushing.slice(this.next), ...this.waiting];
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const batches = this.waiting;
    this.waiting = this.spare;
    this.flushing = batches;
    for (let i = 0; i < batches.length; i++) {
      const batch = batches[i];
      // Still listed while its call runs: the tasks it runs may ask the runner what is outstanding.
      this.next = i;
      try {
        batch.release();
      } catch (error) {
        // Tasks isolate their own errors; only a bug of this library lands here, and it must not stop
        // the other batches or reach the process.
        const { message, stack } = describeError(error);
        this.logger.error(`Releasing the tasks of ${batch.describe()} failed: ${message}`, stack);
      }
    }
    batches.length = 0;
    this.next = 0;
    this.spare = batches;
  };
}
