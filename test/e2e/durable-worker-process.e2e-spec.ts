import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DurableWebModule } from '../fixtures/durable-web.module.js';
import { startApp, type RunningApp } from '../support/app.js';
import { startChildWorker, type ChildWorker } from '../support/child-worker.js';
import { send } from '../support/http.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const WORKER = 'test/fixtures/durable-worker.mjs';

/**
 * A web app that only enqueues, and workers in their own Node processes (the built package): the job
 * crosses processes through a real Redis, and survives a worker killed in the middle of it.
 */
describe('durable tasks run by a separate worker process', () => {
  let redis: RedisServer;
  let client: Redis;
  let web: RunningApp;
  let queueName: string;
  let counter = 0;
  const workers: ChildWorker[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });
  beforeEach(async () => {
    queueName = `remote-${++counter}`;
    web = await startApp(DurableWebModule.with({ connection: redis.connection, queueName }));
  });
  afterEach(async () => {
    await web.app.close();
    for (const worker of workers.splice(0)) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      await worker.exited;
    }
  });

  async function startWorker(env: Record<string, string> = {}): Promise<ChildWorker> {
    const worker = await startChildWorker(WORKER, { REDIS_URL: redis.url, QUEUE_NAME: queueName, ...env });
    workers.push(worker);
    return worker;
  }

  /** Waits (BLPOP, a real gate) for the next value a worker pushes to `key`. */
  async function next(key: string): Promise<string> {
    const popped = await client.blpop(key, 15);
    if (popped === null) throw new Error(`nothing arrived on ${key}`);
    return popped[1];
  }

  async function counts() {
    const queue = new Queue(queueName, { connection: redis.connection });
    try {
      return await queue.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed');
    } finally {
      await queue.close();
    }
  }

  it('a request adds a durable task; a worker process runs it', async () => {
    const worker = await startWorker();
    const res = await send(`${web.url}/remote/record/greetings/hello`, 'POST');
    expect(res.status).toBe(201);
    const result = JSON.parse(await next('greetings')) as { value: string; pid: number };
    expect(result.value).toBe('hello');
    expect(result.pid).toBe(worker.child.pid);
    expect(result.pid).not.toBe(process.pid);
  });

  it('SIGTERM: the worker finishes its running job before it exits', async () => {
    const worker = await startWorker();
    await send(`${web.url}/remote/slow/term`, 'POST');
    expect(Number(await next('term:started'))).toBe(worker.child.pid);

    worker.child.kill('SIGTERM');
    await worker.waitForOutput(/Shutting down: the worker waits up to 30000 ms for 1 running job\(s\)/);
    expect(worker.child.exitCode).toBeNull();
    await client.rpush('term:release', 'go');
    expect(Number(await next('term:done'))).toBe(worker.child.pid);
    const exit = await worker.exited;

    expect(exit.signal ?? exit.code).toBe('SIGTERM');
    expect(await counts()).toMatchObject({ completed: 1, failed: 0, active: 0, wait: 0 });
  });

  it('kill -9 in the middle of a job: another worker takes it up once the lock expires; nothing is lost', async () => {
    const settings = { LOCK_DURATION: '1000', STALLED_INTERVAL: '300' };
    const first = await startWorker(settings);
    await send(`${web.url}/remote/slow/crash`, 'POST');
    expect(Number(await next('crash:started'))).toBe(first.child.pid);
    // Queued behind the running job (concurrency 1): they must survive the crash too.
    for (const value of ['a', 'b', 'c']) await send(`${web.url}/remote/record/after-crash/${value}`, 'POST');

    first.child.kill('SIGKILL');
    await first.exited;
    const second = await startWorker(settings);

    // The stalled check of the new worker finds the job whose lock expired and runs it again.
    expect(Number(await next('crash:started'))).toBe(second.child.pid);
    await client.rpush('crash:release', 'go');
    expect(Number(await next('crash:done'))).toBe(second.child.pid);
    const after = [await next('after-crash'), await next('after-crash'), await next('after-crash')].map(
      (raw) => (JSON.parse(raw) as { value: string }).value,
    );
    expect(after.sort()).toEqual(['a', 'b', 'c']);
    await second.waitForOutput(/Job [0-9a-f]{10}-[0-9a-z]+ of queue "remote-\d+" stalled/);
    expect(await counts()).toMatchObject({ completed: 4, failed: 0, active: 0, wait: 0, delayed: 0 });
  });
});
