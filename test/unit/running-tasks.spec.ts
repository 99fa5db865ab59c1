import { RunningTasks } from '../../lib/core/running-tasks.js';
import { plainTask as task } from '../support/plain-task.js';

describe('RunningTasks', () => {
  const noop = () => undefined;

  it('counts one task without a set, and many with one, in any order of leaving', () => {
    const running = new RunningTasks();
    const [a, b, c] = [task('a', noop), task('b', noop), task('c', noop)];
    running.add(a);
    expect(running.size).toBe(1);
    running.add(b);
    running.add(c);
    expect(running.size).toBe(3);
    running.delete(a); // the first one leaves first: the others stay counted
    expect(running.size).toBe(2);
    running.add(a); // and its place is taken again
    expect(running.size).toBe(3);
    running.delete(c);
    running.delete(c); // twice: no effect
    expect(running.size).toBe(2);
    expect(running.clear().map((t) => t.name).sort()).toEqual(['a', 'b']);
    expect(running.size).toBe(0);
  });

  it('ignores a task it does not hold', () => {
    const running = new RunningTasks();
    const held = task('held', noop);
    running.add(held);
    running.delete(task('other', noop));
    expect(running.clear()).toEqual([held]);
  });
});
