import { jest } from '@jest/globals';
import { BackgroundTasksTracker, type BackgroundTasksModuleOptions, type TaskEndInfo, type TaskHandle, type TaskStatus } from '../../lib/index.js';
import { BackgroundTasksTester } from '../../lib/testing/index.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { TrackingAppModule } from '../fixtures/tracking-app.module.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';

describe.each(ADAPTERS)('task tracking on %s', (adapter) => {
  let running: RunningApp;
  let probe: TaskProbe;
  let ends: TaskEndInfo[];
  let endWaiters: (() => void)[];
  const processErrors = watchProcessErrors().errors;

  async function start(options: BackgroundTasksModuleOptions = {}) {
    ends = [];
    endWaiters = [];
    const onTaskEnd = (info: TaskEndInfo) => {
      ends.push(info);
      const waiting = endWaiters;
      endWaiters = [];
      for (const wake of waiting) wake();
    };
    running = await startApp(TrackingAppModule.with({ onTaskEnd, ...options }), adapter);
    probe = running.app.get(TaskProbe);
  }

  /** Resolves once the task of that id has its outcome (from the `onTaskEnd` hook). */
  function ended(id: string): Promise<TaskEndInfo> {
    const found = ends.find((info) => info.id === id);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => endWaiters.push(() => void ended(id).then(resolve)));
  }

  async function post<T>(path: string): Promise<T> {
    const response = await send(`${running.url}${path}`, 'POST');
    expect(response.status).toBe(201);
    return JSON.parse(response.body) as T;
  }

  async function status(id: string): Promise<TaskStatus | undefined> {
    const response = await send(`${running.url}/status/${encodeURIComponent(id)}`);
    return response.status === 404 ? undefined : (JSON.parse(response.body) as TaskStatus);
  }

  async function cancel(id: string): Promise<string> {
    const response = await send(`${running.url}/tasks/${encodeURIComponent(id)}`, 'DELETE');
    return (JSON.parse(response.body) as { result: string }).result;
  }

  const open = (key: string, value?: { fail?: string; value?: unknown }) => probe.gate<typeof value>(key).open(value);

  afterEach(async () => {
    jest.restoreAllMocks();
    await running?.app.close();
    expect(processErrors).toEqual([]);
  });

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
    await probe.seen('started:first');
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
    await running.app.close();
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

  it('timed-out, and retrying between attempts (a cancel then ends it without another attempt)', async () => {
    await start();
    const slow = await post<TaskHandle>('/timeout/slow');
    await ended(slow.id);
    expect(await status(slow.id)).toMatchObject({ state: 'timed-out', error: { name: 'TimeoutError' } });
    open('slow');

    const flaky = await post<TaskHandle>('/retrying/flaky');
    await probe.seen('attempt:flaky');
    await running.logger.waitFor((line) => line.message.includes('retrying in'));
    expect(await status(flaky.id)).toMatchObject({ state: 'retrying', attempts: 1, maxAttempts: 2 });
    expect(await cancel(flaky.id)).toBe('cancelled');
    expect(await ended(flaky.id)).toMatchObject({ outcome: 'cancelled', reason: 'cancelled by id' });
    expect(await status(flaky.id)).toMatchObject({ state: 'cancelled', attempts: 1 });
    expect(probe.count('attempt:flaky')).toBe(1);
  });

  it('cancel: a pending task is removed and never runs; a running one gets its signal and the next one starts', async () => {
    await start();
    const [first, second] = await post<TaskHandle[]>('/two/one/two');
    await probe.seen('started:one');
    expect(await cancel(second.id)).toBe('cancelled');
    expect(await status(second.id)).toMatchObject({ state: 'cancelled', attempts: 0 });
    expect(await cancel(first.id)).toBe('signalled');
    expect(probe.events.find((event) => event.name === 'aborted:one')?.data).toBe('AbortError');
    expect(await ended(first.id)).toMatchObject({ outcome: 'cancelled', reason: 'cancelled by id' });
    expect(await cancel(first.id)).toBe('already-ended');
    expect(await cancel('nope')).toBe('not-found');
    expect(probe.count('started:two')).toBe(0);
    expect(running.logger.ours('log').map((line) => line.message).filter((line) => line.includes('by id'))).toEqual([
      'Task "two" of POST /two/:first/:second cancelled by id before it started',
      'Task "one" of POST /two/:first/:second cancelled by id while running (its attempt is interrupted)',
    ]);
    open('one');
  });

  it('cancel: a running plain task ends cancelled and frees its slot though its function keeps running', async () => {
    await start({ maxConcurrent: 1 });
    const stuck = await post<TaskHandle>('/plain/stuck');
    await probe.seen('started:stuck');
    expect(await cancel(stuck.id)).toBe('signalled');
    expect(await status(stuck.id)).toMatchObject({ state: 'cancelled' });
    // One slot in the whole process: the next task runs only if the cancelled one let go of it.
    const next = await post<TaskHandle>('/gated/next');
    await probe.seen('started:next');
    open('next');
    await ended(next.id);
    open('stuck');
  });

  it('rejects a non-string id with a TypeError naming the argument, and unknown ids are undefined', async () => {
    await start();
    const tracker = running.app.get(BackgroundTasksTracker);
    await expect(tracker.status(42 as unknown as string)).rejects.toThrow(
      new TypeError('BackgroundTasksTracker.status() expects a task id (string), but received a number.'),
    );
    await expect(tracker.cancel(undefined as unknown as string)).rejects.toThrow(TypeError);
    expect(await tracker.status('unknown')).toBeUndefined();
  });

  it('a task of a request whose handler throws ends dropped', async () => {
    await start();
    const response = await send(`${running.url}/throws/lost`, 'POST');
    const id = (JSON.parse(response.body) as { dropped: string }).dropped;
    expect(await ended(id)).toMatchObject({ outcome: 'dropped' });
    expect(await status(id)).toMatchObject({ state: 'dropped', attempts: 0 });
    expect(probe.count('started:lost')).toBe(0);
  });

  it('chain: each task starts only after the one before succeeded', async () => {
    await start({ concurrency: 3 });
    const [a, b, c] = await post<TaskHandle[]>('/chain/ok');
    await probe.seen('started:ok-a');
    expect((await status(b.id))?.state).toBe('pending');
    open('ok-a');
    await probe.seen('started:ok-b');
    expect((await status(a.id))?.state).toBe('succeeded');
    expect((await status(c.id))?.state).toBe('pending');
    open('ok-b');
    await probe.seen('started:ok-c');
    open('ok-c');
    expect(await ended(c.id)).toMatchObject({ outcome: 'succeeded', after: [b.id] });
    expect(probe.names().filter((name) => name.startsWith('started:'))).toEqual(['started:ok-a', 'started:ok-b', 'started:ok-c']);
  });

  it("chain: a failed task drops its dependents transitively ('skip'), naming the dependency", async () => {
    await start({ concurrency: 3 });
    const [a, b, c] = await post<TaskHandle[]>('/chain/bad');
    open('bad-a', { fail: 'nope' });
    expect(await ended(c.id)).toMatchObject({ outcome: 'dropped', reason: 'dependency "bad-b" ended dropped' });
    expect(await ended(b.id)).toMatchObject({ outcome: 'dropped', reason: 'dependency "bad-a" ended failed' });
    expect((await status(a.id))?.state).toBe('failed');
    expect((await status(b.id))?.state).toBe('dropped');
    expect(probe.count('started:bad-b') + probe.count('started:bad-c')).toBe(0);
    expect(running.logger.ours('debug').map((line) => line.message)).toContain('Task "bad-b" of POST /chain/:prefix dropped: dependency "bad-a" ended failed');
  });

  it('fan-in: runs once after all of its dependencies succeeded', async () => {
    await start({ concurrency: 4 });
    const handles = await post<TaskHandle[]>('/fan/all/skip');
    await probe.seen('started:all-2');
    open('all-0');
    open('all-2');
    await Promise.all([ended(handles[0].id), ended(handles[2].id)]);
    expect((await status(handles[3].id))?.state).toBe('pending');
    open('all-1');
    expect(await ended(handles[3].id)).toMatchObject({ outcome: 'succeeded', after: handles.slice(0, 3).map((h) => h.id) });
    expect(probe.count('ran:all-done')).toBe(1);
  });

  it("fan-in: 'skip' drops it when one part fails; 'run' runs it once all parts ended", async () => {
    await start({ concurrency: 4 });
    const skipped = await post<TaskHandle[]>('/fan/s/skip');
    const ran = await post<TaskHandle[]>('/fan/r/run');
    await probe.seen('started:r-2');
    for (const key of ['s-0', 's-2', 'r-0', 'r-2']) open(key);
    open('s-1', { fail: 'part failed' });
    open('r-1', { fail: 'part failed' });
    expect(await ended(skipped[3].id)).toMatchObject({ outcome: 'dropped', reason: 'dependency "s-1" ended failed' });
    expect(await ended(ran[3].id)).toMatchObject({ outcome: 'succeeded' });
    expect(probe.count('ran:s-done')).toBe(0);
    expect(probe.count('ran:r-done')).toBe(1);
  });

  it('a dependent may wait for a task of an earlier request; cancelling it drops its own dependents', async () => {
    await start();
    const earlier = await post<TaskHandle>('/gated/earlier');
    const later = await post<TaskHandle>(`/after/${earlier.id}/later`);
    const last = await post<TaskHandle>(`/after/${later.id}/last`);
    await probe.seen('started:earlier');
    expect((await status(later.id))?.state).toBe('pending');
    expect(await cancel(later.id)).toBe('cancelled');
    expect(await ended(last.id)).toMatchObject({ outcome: 'dropped', reason: 'dependency "later" ended cancelled' });
    open('earlier');
    await ended(earlier.id);
    expect(probe.count('started:later')).toBe(0);
  });

  it('after: a look-alike handle is a TypeError naming the option', async () => {
    await start();
    const answer = await post<{ error: string }>('/bad-after');
    expect(answer.error).toBe('BackgroundTasks.with(): option "after" must be a task handle returned by addTask, but received an object (Object).');
  });

  it("after: a handle of another application is a TypeError naming the option", async () => {
    await start();
    const other = await startApp(TrackingAppModule.with(), adapter);
    try {
      const foreign = JSON.parse((await send(`${other.url}/sync`, 'POST')).body) as TaskHandle;
      const answer = await post<{ error: string }>(`/after-check/${foreign.id}`);
      expect(answer.error).toBe('TypeError: BackgroundTasks.with(): option "after" is a task handle of another application.');
    } finally {
      await other.app.close();
    }
  });

  it('the drain abandons a running task and a dependent still waiting for it', async () => {
    await start({ drainTimeout: 50 });
    const tracker = running.app.get(BackgroundTasksTracker);
    const earlier = await post<TaskHandle>('/gated/forever');
    const later = await post<TaskHandle>(`/after/${earlier.id}/waiting`);
    await probe.seen('started:forever');
    await running.app.close();
    expect(await tracker.status(earlier.id)).toMatchObject({ state: 'abandoned' });
    expect(await tracker.status(later.id)).toMatchObject({ state: 'abandoned', attempts: 0 });
    expect(await ended(later.id)).toMatchObject({ outcome: 'abandoned', reason: 'drain deadline: not started' });
    open('forever');
  });

  it('an ended status expires after ttl; past maxEntries the oldest ended entries leave, live ones stay', async () => {
    await start({ tracking: { ttl: 60_000, maxEntries: 3 } });
    const live = await post<TaskHandle>('/gated/live');
    const synced: TaskHandle[] = [];
    for (let i = 0; i < 4; i++) synced.push(await post<TaskHandle>('/sync'));
    await ended(synced[3].id);
    expect(await status(synced[0].id)).toBeUndefined();
    expect(await status(synced[1].id)).toBeUndefined();
    expect((await status(live.id))?.state).toBe('running');
    expect((await status(synced[3].id))?.state).toBe('succeeded');
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 60_000);
    expect(await status(synced[3].id)).toBeUndefined();
    expect((await status(live.id))?.state).toBe('running');
    jest.restoreAllMocks();
    open('live');
    await ended(live.id);
  });

  it("testing kit, inline mode: the response waits for the request's whole chain", async () => {
    await start({ testMode: 'inline' });
    let answered = false;
    const response = send(`${running.url}/chain/inl`, 'POST').then((res) => ((answered = true), res));
    await probe.seen('started:inl-a');
    open('inl-a');
    await probe.seen('started:inl-b');
    open('inl-b');
    await probe.seen('started:inl-c');
    expect(answered).toBe(false);
    open('inl-c');
    const [, , c] = JSON.parse((await response).body) as TaskHandle[];
    expect(ends.find((info) => info.id === c.id)?.outcome).toBe('succeeded');
  });

  it('testing kit, record mode: shows each dependency by id; the test runs them in order', async () => {
    await start({ testMode: 'record' });
    const [a, b, c] = await post<TaskHandle[]>('/chain/rec');
    const tester = BackgroundTasksTester.of(running.app);
    expect(tester.recorded.map((task) => [task.id, task.name, task.after, task.ifDependencyFails])).toEqual([
      [a.id, 'rec-a', undefined, undefined],
      [b.id, 'rec-b', [a.id], 'skip'],
      [c.id, 'rec-c', [b.id], 'skip'],
    ]);
    expect((await status(b.id))?.state).toBe('pending');
    for (const key of ['rec-a', 'rec-b', 'rec-c']) open(key);
    const ran = await tester.runRecorded(() => true);
    expect(ran.map((task) => task.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect((await status(c.id))?.state).toBe('succeeded');
  });
});
