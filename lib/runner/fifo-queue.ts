/**
 * First in, first out, with O(1) `shift`: `Array.prototype.shift` moves every element, which made a
 * batch or a wait line of thousands of tasks quadratic. Items before `head` are gone; the array is
 * compacted once they are the larger part.
 */
export class FifoQueue<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.head === this.items.length) {
      // Empty: a one-slot array instead of growing `[]` to V8's first capacity (17), as most batches
      // hold one task; this also lets go of a drained queue's old array.
      this.items = [item];
      this.head = 0;
      return;
    }
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The items still queued, oldest first (a copy). */
  toArray(): T[] {
    return this.items.slice(this.head);
  }

  /** Removes and returns the items that match, keeping the others in order. */
  removeWhere(predicate: (item: T) => boolean): T[] {
    const kept: T[] = [];
    const removed: T[] = [];
    for (let i = this.head; i < this.items.length; i++) (predicate(this.items[i]) ? removed : kept).push(this.items[i]);
    if (removed.length > 0) {
      this.items = kept;
      this.head = 0;
    }
    return removed;
  }

  /** Empties the queue, returning what it held. */
  clear(): T[] {
    const all = this.toArray();
    this.items = [];
    this.head = 0;
    return all;
  }
}
