import { jest } from '@jest/globals';
import { BackgroundTasksTracker, type TaskHandle } from '../../lib/index.js';
import { BackgroundTasksTester } from '../../lib/testing/index.js';
import { TrackingAppModule } from '../fixtures/tracking-app.module.js';
import { ADAPTERS, startApp } from '../support/app.js';
import { send } from '../support/http.js';
import { useTrackingHarness } from '../support/tracking-harness.js';

/** Chains, fan-in, the drain, the store's bounds and the testing kit, on the tracking fixture app. */
describe.each(ADAPTERS)('task orchestration on %s', (adapter) => {
  const app = useTrackingHarness(adapter);
  const { start, ended, post, status, cancel, open } = app;

  it('chain: each task starts only after the one before succeeded', async () => {
    await start({ concurrency: 3 });
    const [a, b, c] = await post<TaskHandle[]>('/chain/ok');
    await app.probe.seen('started:ok-a');
    expect((await status(b.id))?.state).toBe('pending');
    open('ok-a');
    await app.probe.seen('started:ok-b');
    expect((await status(a.id))?.state).toBe('succeeded');
    expect((await status(c.id))?.state).toBe('pending');
    open('ok-b');
    await app.probe.seen('started:ok-c');
    open('ok-c');
    expect(await ended(c.id)).toMatchObject({ outcome: 'succeeded', after: [b.id] });
    expect(app.probe.names().filter((name) => name.startsWith('started:'))).toEqual(['started:ok-a', 'started:ok-b', 'started:ok-c']);
  });

  it("chain: a failed task drops its dependents transitively ('skip'), naming the dependency", async () => {
    await start({ concurrency: 3 });
    const [a, b, c] = await post<TaskHandle[]>('/chain/bad');
    open('bad-a', { fail: 'nope' });
    expect(await ended(c.id)).toMatchObject({ outcome: 'dropped', reason: 'dependency "bad-b" ended dropped' });
    expect(await ended(b.id)).toMatchObject({ outcome: 'dropped', reason: 'dependency "bad-a" ended failed' });
    expect((await status(a.id))?.state).toBe('failed');
    expect((await status(b.id))?.state).toBe('dropped');
    expect(app.probe.count('started:bad-b') + app.probe.count('started:bad-c')).toBe(0);
    expect(app.running.logger.ours('debug').map((line) => line.message)).toContain('Task "bad-b" of POST /chain/:prefix dropped: dependency "bad-a" ended failed');
  });

  it('fan-in: runs once after all of its dependencies succeeded', async () => {
    await start({ concurrency: 4 });
    const handles = await post<TaskHandle[]>('/fan/all/skip');
    await app.probe.seen('started:all-2');
    open('all-0');
    open('all-2');
    await Promise.all([ended(handles[0].id), ended(handles[2].id)]);
    expect((await status(handles[3].id))?.state).toBe('pending');
    open('all-1');
    expect(await ended(handles[3].id)).toMatchObject({ outcome: 'succeeded', after: handles.slice(0, 3).map((h) => h.id) });
    expect(app.probe.count('ran:all-done')).toBe(1);
  });

  it("fan-in: 'skip' drops it when one part fails; 'run' runs it once all parts ended", async () => {
    await start({ concurrency: 4 });
    const skipped = await post<TaskHandle[]>('/fan/s/skip');
    const ran = await post<TaskHandle[]>('/fan/r/run');
    await app.probe.seen('started:r-2');
    for (const key of ['s-0', 's-2', 'r-0', 'r-2']) open(key);
    open('s-1', { fail: 'part failed' });
    open('r-1', { fail: 'part failed' });
    expect(await ended(skipped[3].id)).toMatchObject({ outcome: 'dropped', reason: 'dependency "s-1" ended failed' });
    expect(await ended(ran[3].id)).toMatchObject({ outcome: 'succeeded' });
    expect(app.probe.count('ran:s-done')).toBe(0);
    expect(app.probe.count('ran:r-done')).toBe(1);
  });

  it('a dependent may wait for a task of an earlier request; cancelling it drops its own dependents', async () => {
    await start();
    const earlier = await post<TaskHandle>('/gated/earlier');
    const later = await post<TaskHandle>(`/after/${earlier.id}/later`);
    const last = await post<TaskHandle>(`/after/${later.id}/last`);
    await app.probe.seen('started:earlier');
    expect((await status(later.id))?.state).toBe('pending');
    expect(await cancel(later.id)).toBe('cancelled');
    expect(await ended(last.id)).toMatchObject({ outcome: 'dropped', reason: 'dependency "later" ended cancelled' });
    open('earlier');
    await ended(earlier.id);
    expect(app.probe.count('started:later')).toBe(0);
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
    const tracker = app.running.app.get(BackgroundTasksTracker);
    const earlier = await post<TaskHandle>('/gated/forever');
    const later = await post<TaskHandle>(`/after/${earlier.id}/waiting`);
    await app.probe.seen('started:forever');
    await app.running.app.close();
    expect(await tracker.status(earlier.id)).toMatchObject({ state: 'abandoned' });
    expect(await tracker.status(later.id)).toMatchObject({ state: 'abandoned', attempts: 0 });
    expect(await ended(later.id)).toMatchObject({ outcome: 'abandoned', reason: 'drain deadline: not started' });
    open('forever');
  });

  it('an ended status expires after ttl; a status leaves when maxEntries later tasks were added, a live one stays', async () => {
    await start({ tracking: { ttl: 60_000, maxEntries: 3 } });
    const live = await post<TaskHandle>('/gated/live');
    const synced: TaskHandle[] = [];
    for (let i = 0; i < 4; i++) synced.push(await post<TaskHandle>('/sync'));
    await ended(synced[3].id);
    expect(await status(synced[0].id)).toBeUndefined();
    expect((await status(synced[1].id))?.state).toBe('succeeded');
    synced.push(await post<TaskHandle>('/sync'));
    await ended(synced[4].id);
    expect(await status(synced[1].id)).toBeUndefined();
    expect((await status(synced[2].id))?.state).toBe('succeeded');
    expect((await status(live.id))?.state).toBe('running');
    expect((await status(synced[3].id))?.state).toBe('succeeded');
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 60_000);
    expect(await status(synced[3].id)).toBeUndefined();
    expect((await status(live.id))?.state).toBe('running');
    jest.restoreAllMocks();
    open('live');
    await ended(live.id);
    // Its row was taken long ago: its status stays until maxEntries more tasks were added after its end.
    expect((await status(live.id))?.state).toBe('succeeded');
    for (let i = 0; i < 3; i++) await ended((await post<TaskHandle>('/sync')).id);
    expect((await status(live.id))?.state).toBe('succeeded');
    await ended((await post<TaskHandle>('/sync')).id);
    expect(await status(live.id)).toBeUndefined();
  });

  it("testing kit, inline mode: the response waits for the request's whole chain", async () => {
    await start({ testMode: 'inline' });
    let answered = false;
    const response = send(`${app.running.url}/chain/inl`, 'POST').then((res) => ((answered = true), res));
    await app.probe.seen('started:inl-a');
    open('inl-a');
    await app.probe.seen('started:inl-b');
    open('inl-b');
    await app.probe.seen('started:inl-c');
    expect(answered).toBe(false);
    open('inl-c');
    const [, , c] = JSON.parse((await response).body) as TaskHandle[];
    expect(app.ends.find((info) => info.id === c.id)?.outcome).toBe('succeeded');
  });

  it('testing kit, record mode: shows each dependency by id; the test runs them in order', async () => {
    await start({ testMode: 'record' });
    const [a, b, c] = await post<TaskHandle[]>('/chain/rec');
    const tester = BackgroundTasksTester.of(app.running.app);
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
