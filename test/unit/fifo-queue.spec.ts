import { FifoQueue } from '../../lib/core/fifo-queue.js';

const item = (id: number) => ({ id });
const ids = (items: readonly { id: number }[]) => items.map(({ id }) => id);

function drain(queue: FifoQueue<{ id: number }>): number[] {
  const out: number[] = [];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) out.push(next.id);
  return out;
}

describe('FifoQueue', () => {
  it('keeps arrival order whether items arrive into an empty, a drained or a busy queue', () => {
    const queue = new FifoQueue<{ id: number }>();
    expect(queue.shift()).toBeUndefined();
    queue.push(item(1));
    expect(queue.length).toBe(1);
    queue.push(item(2));
    queue.push(item(3));
    expect(queue.shift()?.id).toBe(1);
    queue.push(item(4)); // after the first left, while others wait: behind them
    expect(queue.length).toBe(3);
    expect(ids(queue.toArray())).toEqual([2, 3, 4]);
    expect(drain(queue)).toEqual([2, 3, 4]);
    expect(queue.length).toBe(0);
    queue.push(item(5)); // drained
    queue.push(item(6));
    expect(drain(queue)).toEqual([5, 6]);
  });

  it('removes matching items in order and keeps the others in theirs', () => {
    const queue = new FifoQueue<{ id: number }>();
    for (let id = 1; id <= 6; id++) queue.push(item(id));
    expect(ids(queue.removeWhere(({ id }) => id % 2 === 1))).toEqual([1, 3, 5]);
    expect(queue.length).toBe(3);
    queue.push(item(7));
    expect(ids(queue.removeWhere(() => false))).toEqual([]);
    expect(ids(queue.clear())).toEqual([2, 4, 6, 7]);
    expect(queue.length).toBe(0);
    queue.push(item(8));
    expect(ids(queue.toArray())).toEqual([8]);
  });

  it('stays in order across compaction of a long queue', () => {
    const queue = new FifoQueue<{ id: number }>();
    const expected: number[] = [];
    let next = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 1500; i++) queue.push(item(next++));
      for (let i = 0; i < 1200; i++) expected.push(queue.shift()?.id as number);
    }
    expected.push(...drain(queue));
    expect(expected).toEqual(Array.from({ length: next }, (_, i) => i));
  });
});
