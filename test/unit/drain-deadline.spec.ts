import { Logger } from '@nestjs/common';
import type { DrainInfo, TaskEndInfo } from '../../lib/index.js';
import { ContextTaskBatch } from '../../lib/request/context-task-batch.js';
import { TaskDrainer } from '../../lib/runner/task-drainer.js';
import { TaskRunner } from '../../lib/runner/task-runner.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { createGate } from '../support/gate.js';
import { plainTask as task } from '../support/plain-task.js';

/** Both passes of the shutdown drain, as Nest calls them (the HTTP server closes in between). */
async function drain(drainer: TaskDrainer): Promise<void> {
  await drainer.beforeApplicationShutdown();
  await drainer.onApplicationShutdown();
}

/** Issue 26, items 6 and 8: the drain deadline, whatever its value, and tasks that come after it. */
describe('the shutdown drain deadline', () => {
  let logger: CaptureLogger;
  beforeEach(() => {
    logger = new CaptureLogger();
    Logger.overrideLogger(logger);
  });
  afterEach(() => Logger.overrideLogger(false));

  it.each([Infinity, 1e10, 2 ** 31])('drainTimeout %p waits for a running task (no collapse to 1 ms)', async (drainTimeout) => {
    const drains: DrainInfo[] = [];
    const runner = new TaskRunner({ drainTimeout, onDrain: (info) => void drains.push(info) });
    const batch = new ContextTaskBatch(runner, undefined);
    const gate = createGate();
    let finished = false;
    batch.add(task('slow', () => gate.promise.then(() => (finished = true))));
    let drained = false;
    const draining = drain(new TaskDrainer(runner)).then(() => (drained = true));
    // Long enough for a deadline cut to 1 ms to have fired many times over.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(drained).toBe(false);
    gate.open();
    await draining;
    expect(finished).toBe(true);
    expect(drains).toMatchObject([{ outcome: 'drained', abandoned: 0 }]);
    expect(logger.ours('error')).toEqual([]);
  });

  it('a task added after the deadline is logged and dropped, not queued; abandoned tasks carry a reason', async () => {
    const ends: TaskEndInfo[] = [];
    const runner = new TaskRunner({ drainTimeout: 30, onTaskEnd: (info) => void ends.push(info) });
    const batch = new ContextTaskBatch(runner, undefined);
    const hang = createGate();
    batch.add(task('hang', () => hang.promise));
    batch.add(task('behind', () => undefined));
    const drainer = new TaskDrainer(runner);
    // Pass 1; then the server closes (here: past the 30 ms deadline), and a handler still running adds a task.
    await drainer.beforeApplicationShutdown();
    await new Promise((resolve) => setTimeout(resolve, 60));
    let ran = false;
    new ContextTaskBatch(runner, undefined).add(task('late', () => (ran = true)));
    await drainer.onApplicationShutdown();
    hang.open();

    expect(ran).toBe(false);
    expect(ends).toMatchObject([
      { name: 'late', outcome: 'dropped', reason: 'added after the drain deadline' },
      // Issue 26, item 16: an abandoned task's end says why.
      { name: 'hang', outcome: 'abandoned', reason: 'drain deadline: running' },
      { name: 'behind', outcome: 'abandoned', reason: 'drain deadline: not started' },
    ]);
    expect(logger.ours('error').map((line) => line.message)).toEqual([
      'Task "late" of no request was added after the drain deadline and will not run',
      'Task "hang" of no request abandoned at the drain deadline while running',
      'Task "behind" of no request abandoned at the drain deadline before it started',
    ]);
  });
});
