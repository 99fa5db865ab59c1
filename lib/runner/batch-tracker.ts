import { BusyBatches } from '../core/busy-batches.js';
import { DeferredReleases, type DeferredRelease, type ErrorLog } from '../core/deferred-releases.js';
import { startTimer, stopTimer } from '../core/long-timer.js';
import type { TaskBatch } from '../core/task-batch.js';

/** Which batches a wait for idleness covers: released ones, all, or just this one. */
export type IdleScope = 'released' | 'all' | TaskBatch;

interface IdleWaiter {
  readonly scope: IdleScope;
  readonly resolve: () => void;
}

/** A batch that looks at its response, or is released, at the end of the turn (`HttpTaskBatch`). */
export type TurnEndBatch = TaskBatch & DeferredRelease;

/**
 * Every batch of the application that still has work, which is what a graceful shutdown and the testing
 * kit's `idle()` wait for: the busy set, and the batches awaiting their turn-end look (they join the busy
 * set only at that look, if work is left, so most requests never touch it).
 */
export class BatchTracker {
  private readonly busy = new BusyBatches<TaskBatch>();
  private readonly deferredReleases: DeferredReleases<TurnEndBatch>;
  private idleWaiters: IdleWaiter[] = [];

  constructor(log: ErrorLog) {
    this.deferredReleases = new DeferredReleases<TurnEndBatch>(log);
  }

  /** Releases `batch` once the I/O callbacks of this turn of the event loop have run. */
  releaseAtTurnEnd(batch: TurnEndBatch): void {
    this.deferredReleases.add(batch);
  }

  markBusy(batch: TaskBatch): void {
    this.busy.add(batch);
  }

  markChanged(batch: TaskBatch): void {
    if (!batch.hasWork) this.busy.delete(batch);
    if (this.idleWaiters.length > 0) this.wakeIdleWaiters();
  }

  /**
   * Resolves true when no batch in `scope` has work, false at `deadline` (epoch ms). `released` leaves
   * out batches whose response has not been sent yet: their requests are still in flight.
   */
  whenIdle(scope: IdleScope, deadline: number): Promise<boolean> {
    if (this.isIdle(scope)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      // Kept referenced: a task hung on a promise holds no handle, and the deadline must still come.
      // A deadline of Infinity arms no timer; one past setTimeout's range is chained, never cut to 1 ms.
      const timer = startTimer(() => {
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== entry);
        resolve(this.isIdle(scope));
      }, deadline - Date.now());
      const entry: IdleWaiter = {
        scope,
        resolve: () => {
          stopTimer(timer);
          resolve(true);
        },
      };
      this.idleWaiters.push(entry);
    });
  }

  /** Tasks still to finish: running, pending, and waiting for their response. */
  get outstanding(): number {
    let count = 0;
    for (const batch of this.batchesWithWork()) count += batch.size;
    return count;
  }

  /** Gives up on every task still pending or running. */
  abandonAll(): void {
    for (const batch of this.batchesWithWork()) batch.abandon();
    this.busy.clear();
    this.wakeIdleWaiters();
  }

  private batchesWithWork(): Set<TaskBatch> {
    return new Set([...this.busy.toArray(), ...this.awaitingLookWithWork()]);
  }

  private awaitingLookWithWork(): TaskBatch[] {
    return this.deferredReleases.toArray().filter((batch) => batch.hasWork);
  }

  private isIdle(scope: IdleScope): boolean {
    if (scope === 'all') return this.busy.size === 0 && this.awaitingLookWithWork().length === 0;
    if (scope !== 'released') return !scope.hasWork;
    return !this.busy.some((batch) => batch.released);
  }

  private wakeIdleWaiters(): void {
    const waiting = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiting) {
      if (this.isIdle(waiter.scope)) waiter.resolve();
      else this.idleWaiters.push(waiter);
    }
  }
}
