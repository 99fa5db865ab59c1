import { BackgroundTasksTracker, type TaskHandle, type TaskStatus } from '../../lib/index.js';
import { ADAPTERS } from '../support/app.js';
import { send } from '../support/http.js';
import { useTrackingHarness } from '../support/tracking-harness.js';

describe.each(ADAPTERS)('task tracking on %s', (adapter) => {
  const app = useTrackingHarness(adapter);
  const { start, ended, post, status, cancel, open } = app;

  it('returns a handle with a unique id known at the call; hooks see the same id', async () => {
    await start();
    const handles = await Promise.all(Array.from({ length: 20 }, () => post<TaskHandle>('/sync')));
    for (const handle of handles) expect(Object.keys(handle).sort()).toEqual(['id', 'name']);
    expect(handles[0]).toEqual({ id: expect.stringMatching(/^[0-9a-f]{10}-[0-9a-z]+$/), name: 'syncWork' });
    expect(new Set(handles.map((handle) => handle.id)).size).toBe(20);
    for (const handle of handles) expect((await ended(handle.id)).outcome).toBe('succeeded');
  });

  it('pending -> running -> succeeded, with attempts, times, the request, and a result when asked for', async () => {
    await start({ tracking: { results: true } });
    const [first, second] = await post<TaskHandle[]>('/two/first/second');
    await app.probe.seen('started:first');
    expect(await status(second.id)).toEqual({
      id: second.id,
      name: 'second',
      state: 'pending',
      attempts: 0,
      maxAttempts: 1,
      addedAt: expect.any(Number),
      durable: false,
      request: { method: 'POST', route: '/two/:first/:second' },
    });
    const runningStatus = await status(first.id);
    expect(runningStatus).toMatchObject({ state: 'running', attempts: 1, startedAt: expect.any(Number) });
    expect(runningStatus?.endedAt).toBeUndefined();
    open('first', { value: { rows: 42 } });
    await ended(first.id);
    const done = (await status(first.id)) as TaskStatus;
    expect(done).toMatchObject({ state: 'succeeded', attempts: 1, result: { rows: 42 } });
    expect(done.startedAt).toBeGreaterThanOrEqual(done.addedAt);
    expect(done.endedAt).toBeGreaterThanOrEqual(done.startedAt as number);
    expect(done.error).toBeUndefined();
    open('second');
    await ended(second.id);
  });

  it('keeps no result unless asked, and none over maxBytes', async () => {
    await start();
    const plain = await post<TaskHandle>('/sync');
    await ended(plain.id);
    expect(await status(plain.id)).not.toHaveProperty('result');
    await app.running.app.close();
    await start({ tracking: { results: { maxBytes: 8 } } });
    const small = await post<TaskHandle>('/gated/small');
    const large = await post<TaskHandle>('/gated/large');
    open('small', { value: [1, 2] });
    open('large', { value: 'x'.repeat(20) });
    await ended(large.id);
    expect((await status(small.id))?.result).toEqual([1, 2]);
    expect(await status(large.id)).not.toHaveProperty('result');
  });

  it('failed: the error name and message only, never the stack or arguments', async () => {
    await start();
    const handle = await post<TaskHandle>('/gated/breaks');
    open('breaks', { fail: 'disk full' });
    await ended(handle.id);
    const failed = await status(handle.id);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, error: { name: 'TypeError', message: 'disk full' } });
    expect(Object.keys(failed?.error ?? {}).sort()).toEqual(['message', 'name']);
  });

  it('failed with a long message: the status keeps its first 1000 characters', async () => {
    await start();
    const handle = await post<TaskHandle>('/gated/long');
    open('long', { fail: `${'a'.repeat(1000)}${'b'.repeat(500)}` });
    await ended(handle.id);
    expect((await status(handle.id))?.error?.message).toBe(`${'a'.repeat(1000)}...`);
  });

  it('tracking: false keeps no in-process status (the tasks run as ever; the tracker does not know them)', async () => {
    await start({ tracking: false });
    const handle = await post<TaskHandle>('/gated/untracked');
    expect(handle.id).toMatch(/^[0-9a-f]{10}-[0-9a-z]+$/);
    expect(await status(handle.id)).toBeUndefined();
    expect(await cancel(handle.id)).toBe('not-found');
    open('untracked');
    expect((await ended(handle.id)).outcome).toBe('succeeded');
    expect(await status(handle.id)).toBeUndefined();
  });

  it('timed-out, and retrying between attempts (a cancel then ends it without another attempt)', async () => {
    await start();
    const slow = await post<TaskHandle>('/timeout/slow');
    await ended(slow.id);
    expect(await status(slow.id)).toMatchObject({ state: 'timed-out', error: { name: 'TimeoutError' } });
    open('slow');

    const flaky = await post<TaskHandle>('/retrying/flaky');
    await app.probe.seen('attempt:flaky');
    await app.running.logger.waitFor((line) => line.message.includes('retrying in'));
    expect(await status(flaky.id)).toMatchObject({ state: 'retrying', attempts: 1, maxAttempts: 2 });
    expect(await cancel(flaky.id)).toBe('cancelled');
    expect(await ended(flaky.id)).toMatchObject({ outcome: 'cancelled', reason: 'cancelled by id' });
    expect(await status(flaky.id)).toMatchObject({ state: 'cancelled', attempts: 1 });
    expect(app.probe.count('attempt:flaky')).toBe(1);
  });

  it('cancel: a pending task is removed and never runs; a running one gets its signal and the next one starts', async () => {
    await start();
    const [first, second] = await post<TaskHandle[]>('/two/one/two');
    await app.probe.seen('started:one');
    expect(await cancel(second.id)).toBe('cancelled');
    expect(await status(second.id)).toMatchObject({ state: 'cancelled', attempts: 0 });
    expect(await cancel(first.id)).toBe('signalled');
    expect(app.probe.events.find((event) => event.name === 'aborted:one')?.data).toBe('AbortError');
    expect(await ended(first.id)).toMatchObject({ outcome: 'cancelled', reason: 'cancelled by id' });
    expect(await cancel(first.id)).toBe('already-ended');
    expect(await cancel('nope')).toBe('not-found');
    expect(app.probe.count('started:two')).toBe(0);
    expect(app.running.logger.ours('log').map((line) => line.message).filter((line) => line.includes('by id'))).toEqual([
      'Task "two" of POST /two/:first/:second cancelled by id before it started',
      'Task "one" of POST /two/:first/:second cancelled by id while running (its attempt is interrupted)',
    ]);
    open('one');
  });

  it('cancel: a running plain task ends cancelled and frees its slot though its function keeps running', async () => {
    await start({ maxConcurrent: 1 });
    const stuck = await post<TaskHandle>('/plain/stuck');
    await app.probe.seen('started:stuck');
    expect(await cancel(stuck.id)).toBe('signalled');
    expect(await status(stuck.id)).toMatchObject({ state: 'cancelled' });
    // One slot in the whole process: the next task runs only if the cancelled one let go of it.
    const next = await post<TaskHandle>('/gated/next');
    await app.probe.seen('started:next');
    open('next');
    await ended(next.id);
    open('stuck');
  });

  it('rejects a non-string id with a TypeError naming the argument, and unknown ids are undefined', async () => {
    await start();
    const tracker = app.running.app.get(BackgroundTasksTracker);
    await expect(tracker.status(42 as unknown as string)).rejects.toThrow(
      new TypeError('BackgroundTasksTracker.status() expects a task id (string), but received a number.'),
    );
    await expect(tracker.cancel(undefined as unknown as string)).rejects.toThrow(TypeError);
    expect(await tracker.status('unknown')).toBeUndefined();
  });

  it('a task of a request whose handler throws ends dropped', async () => {
    await start();
    const response = await send(`${app.running.url}/throws/lost`, 'POST');
    const id = (JSON.parse(response.body) as { dropped: string }).dropped;
    expect(await ended(id)).toMatchObject({ outcome: 'dropped' });
    expect(await status(id)).toMatchObject({ state: 'dropped', attempts: 0 });
    expect(app.probe.count('started:lost')).toBe(0);
  });
});
