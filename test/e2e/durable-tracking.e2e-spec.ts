import { Job, Queue, QueueEvents } from 'bullmq';
import type { BackgroundTasksModuleOptions, TaskEndInfo, TaskHandle, TaskStatus } from '../../lib/index.js';
import { DurableTrackingModule } from '../fixtures/durable-tracking.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/** Status, cancel by id and flows of durable tasks against a real redis-server and this app's worker. */
describe('durable task tracking', () => {
  let redis: RedisServer;
  let running: RunningApp | undefined;
  let others: RunningApp[] = [];
  let probe: TaskProbe;
  let queueName: string;
  let inspect: Queue;
  let events: QueueEvents;
  let counter = 0;
  /** Ids of tasks the web process has handed to BullMQ (outcome `enqueued`), and who waits for one. */
  let enqueuedIds: Set<string>;
  let enqueueWaiters: (() => void)[];
  const processErrors = watchProcessErrors().errors;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  beforeEach(async () => {
    queueName = `tracking-${++counter}`;
    inspect = new Queue(queueName, { connection: redis.connection });
    events = new QueueEvents(queueName, { connection: redis.connection });
    await events.waitUntilReady();
    enqueuedIds = new Set();
    enqueueWaiters = [];
  });
  afterEach(async () => {
    for (const app of [...others, running]) await app?.app.close();
    running = undefined;
    others = [];
    await inspect.close();
    await events.close();
    expect(processErrors).toEqual([]);
  });

  async function start(options: BackgroundTasksModuleOptions = {}, worker: boolean | { concurrency: number } = { concurrency: 1 }): Promise<RunningApp> {
    const onTaskEnd = (info: TaskEndInfo) => {
      if (info.outcome !== 'enqueued') return;
      enqueuedIds.add(info.id);
      for (const wake of enqueueWaiters.splice(0)) wake();
    };
    const app = await startApp(DurableTrackingModule.with({ ...options, onTaskEnd, durable: { connection: redis.connection, queueName, worker } }), 'express');
    if (running === undefined) {
      running = app;
      probe = app.app.get(TaskProbe);
    } else others.push(app);
    return app;
  }

  async function post<T>(path: string, app = running as RunningApp): Promise<T> {
    const response = await send(`${app.url}${path}`, 'POST');
    expect(response.status).toBe(201);
    return JSON.parse(response.body) as T;
  }

  async function status(id: string, app = running as RunningApp): Promise<TaskStatus | undefined> {
    const response = await send(`${app.url}/dt/status/${encodeURIComponent(id)}`);
    return response.status === 404 ? undefined : (JSON.parse(response.body) as TaskStatus);
  }

  async function cancel(id: string): Promise<string> {
    const response = await send(`${(running as RunningApp).url}/dt/tasks/${encodeURIComponent(id)}`, 'DELETE');
    return (JSON.parse(response.body) as { result: string }).result;
  }

  /** Resolves once BullMQ has recorded the job as completed or failed. */
  async function finished(id: string): Promise<void> {
    const job = await Job.fromId(inspect, id);
    await job?.waitUntilFinished(events).catch(() => undefined);
  }

  /** Resolves once the web process has enqueued the task (its addBulk resolved). */
  async function enqueued(id: string): Promise<void> {
    while (!enqueuedIds.has(id)) await new Promise<void>((resolve) => enqueueWaiters.push(resolve));
  }

  const open = (key: string, value?: { fail?: string; value?: unknown }) => probe.gate<typeof value>(key).open(value);

  it('the job id is the handle id; status comes from Redis: waiting, active, completed with its result, failed', async () => {
    await start({ tracking: { results: true } });
    const first = await post<TaskHandle>('/dt/gated/one');
    const second = await post<TaskHandle>('/dt/gated/two');
    expect(first).toEqual({ id: expect.stringMatching(/^[0-9a-f]{10}-[0-9a-z]+$/), name: 'one' });
    await probe.seen('started:one');
    await enqueued(second.id);
    expect((await inspect.getJob(first.id))?.name).toBe('tracked.gated');
    expect(await status(first.id)).toMatchObject({ id: first.id, name: 'one', state: 'active', attempts: 1, durable: true, request: { method: 'POST', route: '/dt/gated/:key' } });
    expect(await status(second.id)).toMatchObject({ state: 'waiting', attempts: 0, durable: true });
    open('one', { value: { pages: 7 } });
    await finished(first.id);
    const done = (await status(first.id)) as TaskStatus;
    expect(done).toMatchObject({ state: 'completed', result: { pages: 7 } });
    expect(done.endedAt).toBeGreaterThanOrEqual(done.startedAt as number);
    await probe.seen('started:two');
    open('two', { fail: 'no paper' });
    await finished(second.id);
    expect(await status(second.id)).toMatchObject({ state: 'failed', error: { message: 'no paper' } });
    expect(JSON.stringify(await status(second.id))).not.toContain('"args"');
  });

  it('another process reads the status of a job it never saw, from Redis', async () => {
    await start();
    const reader = await start({}, false);
    const handle = await post<TaskHandle>('/dt/gated/shared');
    await probe.seen('started:shared');
    expect(await status(handle.id, reader)).toMatchObject({ state: 'active', name: 'shared', durable: true });
    open('shared');
    await finished(handle.id);
    expect(await status(handle.id, reader)).toMatchObject({ state: 'completed' });
    expect(await status('unknown-1', reader)).toBeUndefined();
  });

  it('cancel: a waiting job is removed; an active one is signalled on its worker and fails without a retry', async () => {
    await start();
    const active = await post<TaskHandle>('/dt/gated/busy');
    const waiting = await post<TaskHandle>('/dt/gated/later');
    await probe.seen('started:busy');
    await enqueued(waiting.id);
    expect((await status(waiting.id))?.state).toBe('waiting');
    expect(await cancel(waiting.id)).toBe('cancelled');
    expect(await inspect.getJob(waiting.id)).toBeUndefined();
    expect(await status(waiting.id)).toMatchObject({ state: 'cancelled' });
    expect(await cancel(active.id)).toBe('signalled');
    await probe.seen('aborted:busy');
    expect(probe.events.find((event) => event.name === 'aborted:busy')?.data).toBe('AbortError');
    await finished(active.id);
    expect(await status(active.id)).toMatchObject({ state: 'cancelled', attempts: 1 });
    expect(await cancel(active.id)).toBe('already-ended');
    expect(await cancel('unknown-2')).toBe('not-found');
    open('busy');
    expect(probe.count('started:later')).toBe(0);
  });

  it("fan-in on a BullMQ flow: the dependent is the parent job and runs after its children", async () => {
    await start({}, { concurrency: 3 });
    const [a, b, c, done] = await post<TaskHandle[]>('/dt/fan/ok/skip');
    await probe.seen('started:ok-2');
    expect(await status(done.id)).toMatchObject({ state: 'waiting', name: 'ok-done' });
    const parent = await inspect.getJob(done.id);
    expect(await parent?.getState()).toBe('waiting-children');
    expect((await parent?.getDependenciesCount())?.unprocessed).toBe(3);
    for (const part of [a, b, c]) expect((await inspect.getJob(part.id))?.parentKey).toBe(`bull:${queueName}:${done.id}`);
    open('ok-0');
    open('ok-1');
    open('ok-2');
    await probe.seen('started:ok-done');
    open('ok-done');
    await finished(done.id);
    expect((await status(done.id))?.state).toBe('completed');
  });

  it("fan-in: under 'skip' a failed part drops the parent; under 'run' the parent runs anyway", async () => {
    await start({}, { concurrency: 6 });
    const skip = await post<TaskHandle[]>('/dt/fan/s/skip');
    const run = await post<TaskHandle[]>('/dt/fan/r/run');
    await probe.seen('started:r-2');
    for (const key of ['s-0', 's-2', 'r-0', 'r-2']) open(key);
    open('s-1', { fail: 'part failed' });
    open('r-1', { fail: 'part failed' });
    await finished(skip[3].id);
    expect(await status(skip[3].id)).toMatchObject({ state: 'dropped', error: { message: expect.stringContaining('failed') } });
    await probe.seen('started:r-done');
    open('r-done');
    await finished(run[3].id);
    expect((await status(run[3].id))?.state).toBe('completed');
    expect(probe.count('started:s-done')).toBe(0);
  });

  it('an edge that cannot be a BullMQ flow is a TypeError at the call naming "after"', async () => {
    await start();
    const earlier = await post<TaskHandle>('/dt/gated/earlier');
    const errors = await post<string[]>(`/dt/bad-edges/${earlier.id}`);
    expect(errors).toEqual([
      expect.stringMatching(/^TypeError: BackgroundTasks\.with\(\.\.\.\)\.addTask\(\): option "after" is a durable task: an in-process task cannot run after one/),
      expect.stringMatching(/^TypeError: .*option "after" is an in-process task: a durable task can only run after durable tasks\.$/),
      expect.stringMatching(/^TypeError: .*option "after" is not a durable task waiting in this request/),
      '',
      expect.stringMatching(/^TypeError: .*option "after" already has a durable dependent: a BullMQ job has one parent\.$/),
    ]);
    for (const key of ['earlier', 'edge-durable', 'first-parent']) open(key);
    await probe.seen('finished:first-parent');
  });
});
