import { Logger } from '@nestjs/common';
import { ContextTaskBatch } from '../../lib/request/context-task-batch.js';
import { TaskRunner } from '../../lib/runner/task-runner.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { plainTask as task } from '../support/plain-task.js';
import { createGate } from '../support/gate.js';

describe('TaskRunner and TaskBatch (no request)', () => {
  let logger: CaptureLogger;
  beforeEach(() => {
    logger = new CaptureLogger();
    Logger.overrideLogger(logger);
  });
  afterEach(() => Logger.overrideLogger(false));

  it('runs tasks outside a request at once, in order, isolating failures', async () => {
    const runner = new TaskRunner({});
    const batch = new ContextTaskBatch(runner, undefined);
    const seen: string[] = [];
    const done = createGate();
    batch.add(task('a', () => seen.push('a')));
    batch.add(task('b', () => Promise.reject(new Error('b failed'))));
    batch.add(task('c', async (x: number) => seen.push(`c${x}`), 7));
    batch.add(task('d', () => done.open()));
    await done.promise;
    expect(seen).toEqual(['a', 'c7']);
    expect(logger.ours('error').map((l) => l.message)).toEqual([
      expect.stringMatching(/^Task "b" of no request failed after 1 attempt in [\d.]+ ms: b failed$/),
    ]);
  });

  it('gives plain tasks (no timeout, retries or signal) the same outcomes: sync, promise, thenable, throw', async () => {
    const ended: { name: string; outcome: string }[] = [];
    const runner = new TaskRunner({ onTaskEnd: ({ name, outcome }) => void ended.push({ name, outcome }) });
    const batch = new ContextTaskBatch(runner, undefined);
    const thenable = (fail: boolean) => ({
      then: (resolve: (v: unknown) => void, reject: (e: unknown) => void) => (fail ? reject(new Error('no')) : resolve(1)),
    });
    const done = createGate();
    batch.add(task('sync', () => 1));
    batch.add(task('throws', () => {
      throw new Error('sync boom');
    }));
    batch.add(task('resolves', () => Promise.resolve(2)));
    batch.add(task('thenable-ok', () => thenable(false)));
    batch.add(task('thenable-fails', () => thenable(true)));
    batch.add(task('rejects', () => Promise.reject(new Error('async boom'))));
    batch.add(task('last', () => done.open()));
    await done.promise;
    await runner.whenIdle('all', Date.now() + 5_000);
    expect(ended).toEqual([
      { name: 'sync', outcome: 'succeeded' },
      { name: 'throws', outcome: 'failed' },
      { name: 'resolves', outcome: 'succeeded' },
      { name: 'thenable-ok', outcome: 'succeeded' },
      { name: 'thenable-fails', outcome: 'failed' },
      { name: 'rejects', outcome: 'failed' },
      { name: 'last', outcome: 'succeeded' },
    ]);
    expect(runner.running).toBe(0);
    expect(runner.queued).toBe(0);
  });

  it('whenIdle resolves true when the work is done and false at the deadline', async () => {
    const runner = new TaskRunner({});
    const batch = new ContextTaskBatch(runner, undefined);
    const gate = createGate();
    batch.add(task('wait', () => gate.promise));
    expect(runner.outstanding).toBe(1);
    expect(await runner.whenIdle('all', Date.now() + 20)).toBe(false);
    const idle = runner.whenIdle('all', Date.now() + 10_000);
    gate.open();
    expect(await idle).toBe(true);
    expect(runner.outstanding).toBe(0);
  });

  it('abandonAll reports running and pending tasks and starts nothing more', async () => {
    const runner = new TaskRunner({});
    const batch = new ContextTaskBatch(runner, undefined);
    const gate = createGate();
    let laterRan = false;
    const started = createGate();
    batch.add(task('hang', () => (started.open(), gate.promise)));
    batch.add(task('later', () => (laterRan = true)));
    await started.promise;
    runner.abandonAll();
    runner.close();
    gate.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(laterRan).toBe(false);
    expect(logger.ours('error').map((l) => l.message)).toEqual([
      'Task "hang" of no request abandoned at the drain deadline while running',
      'Task "later" of no request abandoned at the drain deadline before it started',
    ]);
    batch.add(task('afterClose', () => (laterRan = true)));
    expect(laterRan).toBe(false);
    expect(logger.ours('error').at(-1)?.message).toContain('"afterClose" of no request was added after the application shut down');
  });

  it.each([
    [{ drainTimeout: -1 }, 'BackgroundTasksModule option "drainTimeout" must be a number >= 0 (ms), but received a number (-1).'],
    [{ drainTimeout: '5s' }, 'BackgroundTasksModule option "drainTimeout" must be a number >= 0 (ms), but received a string.'],
  ])('rejects bad options at startup with a TypeError: %j', (options, message) => {
    expect(() => new TaskRunner(options as never)).toThrow(new TypeError(message));
  });
});
