import { jest } from '@jest/globals';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { ServerResponse } from 'node:http';
import type { BackgroundTasksModuleOptions, TaskEndInfo } from '../../lib/index.js';
import { TaskRunner } from '../../lib/runner/task-runner.js';
import { BackgroundTasksTester } from '../../lib/testing/index.js';
import { DurableAppModule } from '../fixtures/durable-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp, type AdapterName, type RunningApp } from '../support/app.js';
import { createGate } from '../support/gate.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/** Durable mode against a real redis-server, with this app's own BullMQ worker. */

/** A job id in a log line: the task's handle id (a process prefix and a counter). */
const JOB_ID = /\(job [0-9a-f]{10}-[0-9a-z]+\)/;
describe.each(ADAPTERS)('durable mode on %s', (adapter: AdapterName) => {
  let redis: RedisServer;
  let running: RunningApp | undefined;
  let probe: TaskProbe;
  let queueName: string;
  let inspect: Queue;
  let counter = 0;
  const processErrors = watchProcessErrors().errors;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  beforeEach(() => {
    queueName = `durable-${adapter}-${++counter}`;
    inspect = new Queue(queueName, { connection: redis.connection });
  });
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
    await inspect.close();
    expect(processErrors).toEqual([]);
  });

  async function start(options: BackgroundTasksModuleOptions = {}, durable: Partial<NonNullable<BackgroundTasksModuleOptions['durable']>> = {}) {
    running = await startApp(DurableAppModule.with({ ...options, durable: { connection: redis.connection, queueName, ...durable } }), adapter);
    probe = running.app.get(TaskProbe);
    return running;
  }

  function outcomes(app: RunningApp): TaskEndInfo[] {
    const ends: TaskEndInfo[] = [];
    app.app.get(TaskRunner).events.onEnd((info) => void ends.push(info));
    return ends;
  }

  it("enqueues a request's durable tasks with one addBulk after the response, into the app's own Queue (forRootAsync)", async () => {
    // What @nestjs/bullmq's BullModule.registerQueue() provides: a Queue under a token.
    const userQueue = new Queue(queueName, { connection: redis.connection });
    const calls: { jobs: { name: string; data: unknown; opts?: Record<string, unknown> }[]; responseFinished: boolean }[] = [];
    const addBulk = userQueue.addBulk.bind(userQueue);
    userQueue.addBulk = ((jobs: Parameters<Queue['addBulk']>[0]) => {
      const response = probe.events.find((e) => e.name === 'bulk-response')?.data as ServerResponse;
      calls.push({ jobs: jobs.map(({ name, data, opts }) => ({ name, data, opts: opts as Record<string, unknown> })), responseFinished: response.writableFinished });
      return addBulk(jobs);
    }) as Queue['addBulk'];
    running = await startApp(
      DurableAppModule.with({}, { async: { token: 'USER_QUEUE', provider: { provide: 'USER_QUEUE', useValue: userQueue } } }),
      adapter,
    );
    probe = running.app.get(TaskProbe);
    const ends = outcomes(running);

    expect((await send(`${running.url}/durable/bulk`, 'POST')).status).toBe(201);
    await probe.seen('three');

    expect(probe.names().filter((name) => name !== 'bulk-response')).toEqual(['one', 'two', 'three']);
    expect(calls).toHaveLength(1);
    expect(calls[0].responseFinished).toBe(true);
    expect(calls[0].jobs.map((job) => job.name)).toEqual(['jobs.record', 'jobs.record', 'jobs.record']);
    expect(calls[0].jobs[1].data).toEqual({
      v: 1,
      args: ['two', [2, 'x']],
      timeout: 5_000,
      backoff: { type: 'fixed', delay: 10 },
      request: { method: 'POST', route: '/durable/bulk' },
    });
    expect(calls[0].jobs[1].opts).toMatchObject({ attempts: 3, backoff: { type: 'nestjs-background-tasks' } });
    // The ledger: each task ended once, as enqueued.
    expect(ends.map((end) => [end.name, end.outcome])).toEqual([
      ['jobs.record', 'enqueued'],
      ['jobs.record', 'enqueued'],
      ['jobs.record', 'enqueued'],
    ]);

    await running.app.close();
    running = undefined;
    // The queue was the app's: still open after the module shut down.
    expect(await userQueue.getJobCountByTypes('completed')).toBe(3);
    await userQueue.close();
  });

  it('retries with backoff through BullMQ: attempts, delays and warn lines, then success', async () => {
    await start();
    await send(`${running!.url}/durable/flaky/2`, 'POST');
    await probe.seen('flaky-ok');
    const calls = probe.events.filter((e) => e.name === 'flaky-call').map((e) => e.data as { call: number; at: number });
    expect(calls.map((c) => c.call)).toEqual([1, 2, 3]);
    // Fixed 150 ms between attempts, without jitter: BullMQ held the job back at least that long.
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(145);
    expect(calls[2].at - calls[1].at).toBeGreaterThanOrEqual(145);
    // The job id is the task's handle id.
    expect(running!.logger.ours('warn').map((l) => l.message.replace(JOB_ID, '(job <id>)'))).toEqual([
      'Task "jobs.flaky" of POST /durable/flaky/:failures (job <id>) failed on attempt 1 of 3, retrying: failure 1',
      'Task "jobs.flaky" of POST /durable/flaky/:failures (job <id>) failed on attempt 2 of 3, retrying: failure 2',
    ]);
    expect(running!.logger.ours('error')).toEqual([]);
    const [job] = await waitForJobs(inspect, 'completed', 1);
    expect(job.attemptsMade).toBe(3);
  });

  it('a handler that always fails lands in the failed set with its error, reported once', async () => {
    const failures: { error: unknown; info: TaskEndInfo }[] = [];
    await start({ onTaskError: (error, info) => void failures.push({ error, info }) });
    await send(`${running!.url}/durable/always-fails`, 'POST');
    const line = await running!.logger.waitFor((l) => l.level === 'error');
    expect(line.message.replace(JOB_ID, '(job <id>)')).toBe('Task "jobs.always-fails" of POST /durable/always-fails (job <id>) failed after 2 attempts: always fails');
    expect(line.stack).toContain('Error: always fails');
    expect(probe.count('always-fails-call')).toBe(2);

    const failed = await waitForJobs(inspect, 'failed', 1);
    expect(failed[0].name).toBe('jobs.always-fails');
    expect(failed[0].failedReason).toBe('always fails');
    expect(failed[0].attemptsMade).toBe(2);
    expect((failed[0].stacktrace ?? []).join('\n')).toContain('always fails');
    expect(failures).toHaveLength(1);
    expect((failures[0].error as Error).message).toBe('always fails');
    expect(failures[0].info).toMatchObject({
      name: 'jobs.always-fails',
      outcome: 'failed',
      attempt: 2,
      maxAttempts: 2,
      request: { method: 'POST', route: '/durable/always-fails' },
    });
  });

  it("the worker's defaults.retryIf decides: an error it rejects fails the job at once, attempts left or not", async () => {
    await start({ defaults: { retryIf: (error) => (error as Error).message !== 'always fails' } });
    await send(`${running!.url}/durable/always-fails`, 'POST');
    const line = await running!.logger.waitFor((l) => l.level === 'error');
    expect(line.message.replace(JOB_ID, '(job <id>)')).toBe('Task "jobs.always-fails" of POST /durable/always-fails (job <id>) failed: always fails');
    const failed = await waitForJobs(inspect, 'failed', 1);
    expect(failed[0].attemptsMade).toBe(1);
    expect(failed[0].failedReason).toBe('always fails');
    expect(probe.count('always-fails-call')).toBe(1);
    expect(running!.logger.ours('warn')).toEqual([]);
  });

  it('times an attempt out: the job fails as timed out and the handler signal is aborted', async () => {
    const failures: TaskEndInfo[] = [];
    await start({ onTaskError: (_error, info) => void failures.push(info) });
    await send(`${running!.url}/durable/hang`, 'POST');
    await probe.seen('hang-aborted');
    expect(probe.events.find((e) => e.name === 'hang-aborted')?.data).toBe('TimeoutError');
    const failed = await waitForJobs(inspect, 'failed', 1);
    expect(failed[0].failedReason).toBe('Task "jobs.hang" timed out after 100 ms');
    expect(failures.map((info) => info.outcome)).toEqual(['timed-out']);
    expect(running!.logger.ours('error').map((l) => l.message.replace(JOB_ID, '(job <id>)'))).toEqual(['Task "jobs.hang" of POST /durable/hang (job <id>) timed out after 100 ms']);
  });

  it('fails jobs naming no registered handler, without retry and without evaluating the payload', async () => {
    await start();
    const jobs = ['no.such.handler', '__proto__', 'constructor', 'toString', 'hasOwnProperty'].map((name) => ({
      name,
      data: { v: 1, args: ['process.exit(1)'] },
      opts: { attempts: 3 },
    }));
    await inspect.addBulk([...jobs, { name: 'jobs.record', data: { v: 99, args: 'nope' }, opts: { attempts: 3 } }]);
    const failed = await waitForJobs(inspect, 'failed', jobs.length + 1);
    for (const job of failed) {
      expect(job.attemptsMade).toBe(1);
      if (job.name === 'jobs.record') {
        expect(job.failedReason).toBe('Job "jobs.record" carries no task payload this version understands: the job fails without retry.');
      } else {
        expect(job.failedReason).toContain(`No @BackgroundTask handler named "${job.name}" in this worker (queue "${queueName}")`);
      }
    }
    expect(probe.events).toEqual([]);
  });

  it('fails hostile jobs (a request.method that is an object, data that is not JSON) with a log line and onTaskError, none left active', async () => {
    // Written before the worker starts, so that it meets the raw data first.
    const [objectMethod, notJson] = await inspect.addBulk([
      { name: 'jobs.record', data: { v: 1, args: ['a', 1], request: { method: { toString: 1 }, route: '/x' } } as never, opts: { attempts: 3 } },
      { name: 'jobs.record', data: { v: 1, args: ['b', 2] }, opts: { attempts: 3 } },
    ]);
    const client = new Redis(redis.connection);
    const key = `bull:${queueName}`;
    await client.hset(`${key}:${notJson.id}`, 'data', '{"v":1,\n"args": [');
    const failures: TaskEndInfo[] = [];
    const bothReported = createGate();
    await start({
      onTaskError: (_error, info) => {
        failures.push(info);
        if (failures.length === 2) bothReported.open();
      },
    });
    await bothReported.promise;
    // Read raw: BullMQ's own getters cannot parse the job whose data is not JSON either.
    while ((await client.zcard(`${key}:failed`)) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    const reason = 'Job "jobs.record" carries no task payload this version understands: the job fails without retry.';
    for (const id of [objectMethod.id, notJson.id]) {
      expect(await client.hmget(`${key}:${id}`, 'failedReason', 'atm')).toEqual([reason, '1']);
    }
    expect(await client.llen(`${key}:active`)).toBe(0);
    await client.quit();
    expect(failures.map((info) => [info.name, info.outcome, info.attempt, info.maxAttempts])).toEqual([
      ['jobs.record', 'failed', 1, 3],
      ['jobs.record', 'failed', 1, 3],
    ]);
    expect(running!.logger.ours('error').map((line) => line.message)).toEqual([reason, reason]);
    expect(running!.logger.lines.filter((line) => line.level === 'error' && line !== undefined)).toHaveLength(2);
    expect(probe.events).toEqual([]);
  });

  it('app.close() lets the worker finish its running job first', async () => {
    await start();
    probe.recordShutdown = true;
    await send(`${running!.url}/durable/gated/close`, 'POST');
    await probe.seen('gated-started');
    const app = running!;
    running = undefined;
    const closing = app.app.close().then(() => probe.record('closed'));
    await app.logger.waitFor((l) => l.message.startsWith('Shutting down: the worker waits up to 30000 ms for 1 running job(s)'));
    setTimeout(() => probe.gate('close').open(), 50);
    await closing;
    expect(probe.names()).toEqual(['gated-started', 'gated-finished', 'app-shutdown-hook', 'closed']);
    expect(await inspect.getJobCountByTypes('completed')).toBe(1);
  });

  it('at the drain deadline the worker aborts its running job and leaves it to Redis; another worker runs it again', async () => {
    const worker = { lockDuration: 500, stalledInterval: 200 };
    await start({ drainTimeout: 200 }, { worker });
    await send(`${running!.url}/durable/gated/deadline`, 'POST');
    await probe.seen('gated-started');
    const first = running!;
    running = undefined;
    await first.app.close();
    expect(first.logger.ours('error').map((l) => l.message.replace(JOB_ID, '(job <id>)'))).toEqual([
      'Task "jobs.gated" (job <id>) still running at the drain deadline: left to Redis, another worker runs it again once its lock expires',
    ]);
    // Neither done nor failed: still active in Redis, its lock about to expire.
    expect(await inspect.getJobCounts('active', 'completed', 'failed')).toEqual({ active: 1, completed: 0, failed: 0 });

    await start({}, { worker });
    probe.gate('deadline').open();
    await probe.seen('gated-finished');
    await running!.logger.waitFor((l) => /^Job [0-9a-f]{10}-[0-9a-z]+ of queue "durable-\w+-\d+" stalled/.test(l.message));
    expect((await waitForJobs(inspect, 'completed', 1)).map((job) => job.id)).toEqual([expect.stringMatching(/^[0-9a-f]{10}-[0-9a-z]+$/)]);
  });

  it('app.close() waits for an enqueue still in flight: the job reaches Redis and ends enqueued', async () => {
    const release = createGate();
    const started = createGate();
    const addBulk = Queue.prototype.addBulk;
    const spy = jest.spyOn(Queue.prototype, 'addBulk').mockImplementation(async function (this: Queue, jobs) {
      started.open();
      await release.promise;
      return addBulk.call(this, jobs);
    });
    try {
      await start({}, { worker: false });
      const ends = outcomes(running!);
      await send(`${running!.url}/durable/where/flushed`, 'POST');
      await started.promise;
      const app = running!;
      running = undefined;
      let closed = false;
      const closing = app.app.close().then(() => (closed = true));
      await app.logger.waitFor((l) => l.message.startsWith('Shutting down: waiting up to 30000 ms for 1 background task(s)'));
      // Give a close that does not wait the time to finish (cannot make the right one flaky).
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closed).toBe(false);
      release.open();
      await closing;
      expect(ends.map((end) => end.outcome)).toEqual(['enqueued']);
      expect(await inspect.getJobCountByTypes('wait')).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('enqueues the durable tasks that requests still in flight add while the server closes', async () => {
    await start({}, { worker: false });
    const ends = outcomes(running!);
    const app = running!;
    running = undefined;
    const inFlight = send(`${app.url}/durable/in-flight`, 'POST');
    await probe.seen('in-flight-handler');
    // The handler finishes exactly when Nest closes the server: after the first drain pass.
    const server = app.app.getHttpServer();
    const close = server.close.bind(server);
    server.close = (callback?: (error?: Error) => void) => {
      probe.gate('in-flight').open();
      return close(callback);
    };
    await app.app.close();
    expect((await inFlight).status).toBe(201);
    expect(ends.map((end) => end.outcome)).toEqual(['enqueued']);
    const [job] = await inspect.getJobs(['wait']);
    expect(job.data).toMatchObject({ args: ['added-while-closing'] });
  });

  it('under the testing kit, durable tasks are recorded and run in-process: tests need no Redis', async () => {
    await start({}, { worker: false });
    const tester = BackgroundTasksTester.of(running!.app);
    tester.setMode('record');
    await send(`${running!.url}/durable/where/recorded`, 'POST');
    await tester.idle();
    expect(tester.recorded).toMatchObject([{ name: 'jobs.where', args: ['recorded'], status: 'held' }]);
    const ran = await tester.runRecorded('jobs.where');
    expect(ran.map((task) => task.status)).toEqual(['succeeded']);
    expect(probe.events).toEqual([{ name: 'recorded', data: { pid: process.pid } }]);
    expect(await inspect.count()).toBe(0);
  });

  it("durable.handlers: only the listed handlers leave; the others run here", async () => {
    await start({}, { handlers: ['jobs.record'], worker: false });
    await send(`${running!.url}/durable/two-handlers`, 'POST');
    await probe.seen('where-task');
    const app = running!;
    running = undefined;
    await app.app.close();
    const [job] = await inspect.getJobs(['wait']);
    expect(job.name).toBe('jobs.record');
    expect(await inspect.count()).toBe(1);
    expect(probe.count('record-task')).toBe(0);
  });

  it('drops durable tasks by runOn like in-process ones: nothing is enqueued when the handler throws', async () => {
    await start({}, { worker: false });
    expect((await send(`${running!.url}/durable/throws`, 'POST')).status).toBe(409);
    await running!.logger.waitFor((l) => l.message.startsWith('Dropped 1 task(s) of POST /durable/throws'));
    await running!.app.close();
    running = undefined;
    expect(await inspect.count()).toBe(0);
  });

  if (adapter === 'express') {
    it('rejects arguments JSON would change, and function options, with a TypeError at addTask', async () => {
      await start({}, { worker: false });
      const res = await send(`${running!.url}/durable/bad-arguments`, 'POST');
      const prefix = 'TypeError: BackgroundTasks.addTask(): task "jobs.record" runs on a BullMQ worker, so its arguments must be JSON-serializable, but';
      expect(JSON.parse(res.body)).toEqual({
        date: `${prefix} argument 2 > property 1 of 1 is a Date, not a plain object (pass date.toISOString()).`,
        map: `${prefix} argument 2 is a Map, not a plain object.`,
        class: `${prefix} argument 2 > property 1 of 1 > item 1 is a NotPlain, not a plain object.`,
        undefined: `${prefix} argument 2 is undefined (JSON turns it into null; pass null, or leave it out).`,
        function: `${prefix} argument 2 > property 1 of 1 is a function.`,
        bigint: `${prefix} argument 2 is a bigint (pass it as a string).`,
        nan: `${prefix} argument 2 > property 1 of 1 is NaN (JSON turns it into null).`,
        circular: `${prefix} argument 2 > property 1 of 1 is a circular reference.`,
        // Keys are argument data: never shown.
        'key is data': `${prefix} argument 2 > property 2 of 2 > property 1 of 1 is a Date, not a plain object (pass date.toISOString()).`,
        '-0': `${prefix} argument 2 > item 2 is -0 (JSON turns it into 0).`,
        'symbol key': `${prefix} argument 2 has a symbol key (JSON leaves it out).`,
        'array extra': `${prefix} argument 2 is an array with other properties than its items (JSON leaves them out).`,
        retryIf:
          'TypeError: BackgroundTasks.with(...).addTask(): task "jobs.record" runs on a BullMQ worker and option "retryIf" is a function, which cannot travel with the job. Give backoff as { type, delay, maxDelay, jitter }; for retryIf, set it in the worker\'s module defaults.',
        backoff:
          'TypeError: BackgroundTasks.with(...).addTask(): task "jobs.record" runs on a BullMQ worker and option "backoff" is a function, which cannot travel with the job. Give backoff as { type, delay, maxDelay, jitter }; for retryIf, set it in the worker\'s module defaults.',
        'plain function: anything goes': 'accepted',
      });
    });
  }
});

/** Resolves once `count` jobs are in `state`: polls Redis, since a finished job emits nothing here. */
async function waitForJobs(queue: Queue, state: 'failed' | 'completed', count: number): Promise<Job[]> {
  for (;;) {
    const jobs = await queue.getJobs([state]);
    if (jobs.length >= count) return jobs;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
