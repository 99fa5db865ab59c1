/** Slots kept when the set empties: most apps empty it on nearly every request, which must not allocate. */
const SLOTS_KEPT = 1024;

/** Where a batch sits in the runner's busy set: its slot, or -1 while it has no work. */
export interface BusySlot {
  busySlot: number;
}

/**
 * The batches that have work, besides those awaiting their turn-end look (`TaskBatch.add`: an HTTP batch
 * whose tasks all end in that look never joins). A batch joins and leaves once, so both are O(1) and
 * touch only the batch itself and two arrays that stay hot: each batch remembers its slot, and freed
 * slots are reused. A `Set` paid two hash operations per request; a list threaded through the batches
 * wrote to the neighbouring batches, objects of other requests that are cold by then.
 */
export class BusyBatches<Batch extends BusySlot> {
  private slots: (Batch | undefined)[] = [];
  private free: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(batch: Batch): void {
    if (batch.busySlot >= 0) return;
    const slot = this.free.length > 0 ? (this.free.pop() as number) : this.slots.length;
    this.slots[slot] = batch;
    batch.busySlot = slot;
    this.count++;
  }

  delete(batch: Batch): void {
    const slot = batch.busySlot;
    if (slot < 0 || this.slots[slot] !== batch) return;
    batch.busySlot = -1;
    this.count--;
    if (this.count === 0 && this.slots.length > SLOTS_KEPT) {
      // Empty after a burst: start over, so that the burst's slots are not kept for good.
      this.slots = [];
      this.free = [];
      return;
    }
    this.slots[slot] = undefined;
    this.free.push(slot);
  }

  /** Whether any busy batch matches (the set must not change meanwhile). */
  some(predicate: (batch: Batch) => boolean): boolean {
    for (const batch of this.slots) if (batch !== undefined && predicate(batch)) return true;
    return false;
  }

  /** A copy, so that callers may change the set while they go through it. */
  toArray(): Batch[] {
    return this.slots.filter((batch): batch is Batch => batch !== undefined);
  }

  clear(): void {
    for (const batch of this.slots) if (batch !== undefined) batch.busySlot = -1;
    this.slots = [];
    this.free = [];
    this.count = 0;
  }
}
