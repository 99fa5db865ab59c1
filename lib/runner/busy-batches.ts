import type { TaskBatch } from './task-batch.js';

/** The links a batch carries while it is in the runner's busy list. */
export interface BusyLinks {
  busyPrev?: TaskBatch;
  busyNext?: TaskBatch;
  isBusy: boolean;
}

/**
 * The batches that have work, as a list threaded through the batches themselves. Every request that adds
 * a task joins and leaves it once: a `Set` did the same with two hash operations per request (an identity
 * hash stored on each batch), which the profile showed as the runner's largest self time per request.
 */
export class BusyBatches {
  private head?: TaskBatch;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(batch: TaskBatch): void {
    if (batch.isBusy) return;
    batch.isBusy = true;
    batch.busyPrev = undefined;
    batch.busyNext = this.head;
    if (this.head) this.head.busyPrev = batch;
    this.head = batch;
    this.count++;
  }

  delete(batch: TaskBatch): void {
    if (!batch.isBusy) return;
    batch.isBusy = false;
    if (batch.busyPrev) batch.busyPrev.busyNext = batch.busyNext;
    else this.head = batch.busyNext;
    if (batch.busyNext) batch.busyNext.busyPrev = batch.busyPrev;
    batch.busyPrev = batch.busyNext = undefined;
    this.count--;
  }

  /** Whether any busy batch matches (the list must not change meanwhile). */
  some(predicate: (batch: TaskBatch) => boolean): boolean {
    for (let batch = this.head; batch; batch = batch.busyNext) if (predicate(batch)) return true;
    return false;
  }

  /** A copy, so that callers may change the list while they go through it. */
  toArray(): TaskBatch[] {
    const all: TaskBatch[] = [];
    for (let batch = this.head; batch; batch = batch.busyNext) all.push(batch);
    return all;
  }

  clear(): void {
    for (const batch of this.toArray()) this.delete(batch);
  }
}
