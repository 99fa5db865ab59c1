/** The shared empty array of every queue holding at most one item; never written. */
const NOTHING_QUEUED: unknown[] = [];

/**
 * First in, first out, with O(1) `shift`: `Array.prototype.shift` moves every element, which made a
 * batch or a wait line of thousands of tasks quadratic. Items before `head` are gone; the array is
 * compacted once they are the larger part. Most batches hold one task: a lone item sits in `first` and
 * needs no array at all.
 */
export class FifoQueue<T extends object> {
  /** The oldest item, when it was added while the queue was empty; it comes before everything in `rest`. */
  private first: T | undefined = undefined;
  private rest: T[] = NOTHING_QUEUED as T[];
  private head = 0;

  get length(): number {
    return (this.first === undefined ? 0 : 1) + this.rest.length - this.head;
  }

  push(item: T): void {
    if (this.first === undefined && this.head === this.rest.length) {
      this.first = item;
      if (this.head > 0) {
        // Drained: let go of the old array.
        this.rest = NOTHING_QUEUED as T[];
        this.head = 0;
      }
      return;
    }
    if (this.head === this.rest.length) {
      this.rest = [item];
      this.head = 0;
      return;
    }
    this.rest.push(item);
  }

  shift(): T | undefined {
    const first = this.first;
    if (first !== undefined) {
      this.first = undefined;
      return first;
    }
    if (this.head >= this.rest.length) return undefined;
    const item = this.rest[this.head];
    this.rest[this.head] = undefined as unknown as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.rest.length) {
      this.rest = this.rest.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The items still queued, oldest first (a copy). */
  toArray(): T[] {
    const rest = this.rest.slice(this.head);
    if (this.first !== undefined) rest.unshift(this.first);
    return rest;
  }

  /** Removes and returns the items that match, keeping the others in order. */
  removeWhere(predicate: (item: T) => boolean): T[] {
    const kept: T[] = [];
    const removed: T[] = [];
    for (const item of this.toArray()) (predicate(item) ? removed : kept).push(item);
    if (removed.length > 0) {
      this.first = undefined;
      this.rest = kept;
      this.head = 0;
    }
    return removed;
  }

  /** Empties the queue, returning what it held. */
  clear(): T[] {
    const all = this.toArray();
    this.first = undefined;
    this.rest = NOTHING_QUEUED as T[];
    this.head = 0;
    return all;
  }
}
