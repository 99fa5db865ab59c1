import { BusyBatches } from '../../lib/runner/busy-batches.js';
import type { TaskBatch } from '../../lib/runner/task-batch.js';

/** Stand-ins with just the links the list uses. */
function batches(count: number): TaskBatch[] {
  return Array.from({ length: count }, (_, i) => ({ id: i, isBusy: false }) as unknown as TaskBatch);
}

describe('BusyBatches', () => {
  it('adds each batch once, removes from any position, and keeps the others', () => {
    const list = new BusyBatches();
    const [a, b, c, d] = batches(4);
    for (const batch of [a, b, c, d, b]) list.add(batch);
    expect(list.size).toBe(4);
    list.delete(c); // middle
    list.delete(d); // head (newest first)
    list.delete(c); // not in the list any more: no effect
    expect(list.size).toBe(2);
    expect(list.toArray()).toEqual([b, a]);
    expect(list.some((batch) => batch === a)).toBe(true);
    expect(list.some((batch) => batch === c)).toBe(false);
    list.add(c);
    expect(list.toArray()).toEqual([c, b, a]);
    list.clear();
    expect(list.size).toBe(0);
    expect(list.toArray()).toEqual([]);
    expect([a, b, c, d].map((batch) => batch.isBusy)).toEqual([false, false, false, false]);
  });
});
