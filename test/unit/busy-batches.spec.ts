import { BusyBatches } from '../../lib/core/busy-batches.js';
import type { TaskBatch } from '../../lib/core/task-batch.js';

/** Stand-ins with just the slot the set uses. */
function batches(count: number): TaskBatch[] {
  return Array.from({ length: count }, (_, i) => ({ id: i, busySlot: -1 }) as unknown as TaskBatch);
}

const ids = (list: TaskBatch[]) => list.map((batch) => (batch as unknown as { id: number }).id).sort((x, y) => x - y);

describe('BusyBatches', () => {
  it('adds each batch once, removes from any position, and keeps the others', () => {
    const busy = new BusyBatches<TaskBatch>();
    const [a, b, c, d] = batches(4);
    for (const batch of [a, b, c, d, b]) busy.add(batch);
    expect(busy.size).toBe(4);
    busy.delete(c);
    busy.delete(d);
    busy.delete(c); // not in the set any more: no effect
    expect(busy.size).toBe(2);
    expect(ids(busy.toArray())).toEqual([0, 1]);
    expect(busy.some((batch) => batch === a)).toBe(true);
    expect(busy.some((batch) => batch === c)).toBe(false);
    busy.add(c);
    busy.add(d);
    expect(ids(busy.toArray())).toEqual([0, 1, 2, 3]);
    busy.clear();
    expect(busy.size).toBe(0);
    expect(busy.toArray()).toEqual([]);
    expect([a, b, c, d].map((batch) => batch.busySlot)).toEqual([-1, -1, -1, -1]);
  });

  it('reuses freed slots instead of growing, and starts over once empty', () => {
    const busy = new BusyBatches<TaskBatch>();
    const many = batches(2000);
    for (const batch of many) busy.add(batch);
    for (const batch of many.slice(0, 1999)) busy.delete(batch);
    const [fresh] = batches(1);
    busy.add(fresh);
    expect(fresh.busySlot).toBeLessThan(1999); // a freed slot, not slot 2000
    expect(ids(busy.toArray())).toEqual([0, 1999]);
    busy.delete(fresh);
    busy.delete(many[1999]);
    expect(busy.size).toBe(0);
    const [next] = batches(1);
    busy.add(next);
    expect(next.busySlot).toBe(0); // the 2000 slots of the burst were let go
  });
});
