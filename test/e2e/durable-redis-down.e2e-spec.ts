import { Queue } from 'bullmq';
import { createServer } from 'node:net';
import type { BackgroundTasksModuleOptions, TaskEndInfo } from '../../lib/index.js';
import { TaskRunner } from '../../lib/runner/task-runner.js';
import { DurableAppModule } from '../fixtures/durable-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/** A loopback port nobody listens on. */
function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Redis goes away: a clear error line, and the configured fallback; never a silent loss. */
describe.each(ADAPTERS)('durable mode with Redis down, on %s', (adapter) => {
  let redis: RedisServer | undefined;
  let running: RunningApp | undefined;
  let probe: TaskProbe;
  let ends: TaskEndInfo[];
  const processErrors = watchProcessErrors().errors;

  afterEach(async () => {
    await running?.app.close();
    running = undefined;
    await redis?.stop();
    redis = undefined;
    expect(processErrors).toEqual([]);
  });

  async function start(options: BackgroundTasksModuleOptions, durable: NonNullable<BackgroundTasksModuleOptions['durable']>) {
    running = await startApp(DurableAppModule.with({ ...options, durable: { queueName: 'down', worker: false, ...durable } }), adapter);
    probe = running.app.get(TaskProbe);
    ends = [];
    running.app.get(TaskRunner).events.onEnd((info) => void ends.push(info));
  }

  /** Enqueues once while Redis is up, then stops it. */
  async function stopRedisAfterOneEnqueue() {
    await send(`${running!.url}/durable/where/warm-up`, 'POST');
    await running!.logger.waitFor((l) => l.message.startsWith('Enqueued 1 durable task(s)'));
    await redis!.stop();
  }

  it("onEnqueueError 'run-in-process' (default): logs the failure and runs the task here", async () => {
    redis = await startRedisServer();
    await start({}, { connection: redis.connection });
    await stopRedisAfterOneEnqueue();

    expect((await send(`${running!.url}/durable/where/fallback`, 'POST')).status).toBe(201);
    await probe.seen('fallback');

    expect(probe.events.find((e) => e.name === 'fallback')?.data).toEqual({ pid: process.pid });
    const line = running!.logger.ours('error').find((l) => l.message.startsWith('Could not enqueue'));
    expect(line?.message).toMatch(
      /^Could not enqueue 1 durable task\(s\) \("jobs\.where"\) of POST \/durable\/where\/:label to queue "down": .+\. Running them in this process instead \(onEnqueueError 'run-in-process'\)$/,
    );
    expect(ends.map((end) => end.outcome)).toEqual(['enqueued', 'succeeded']);
  });

  it("onEnqueueError 'fail': logs the failure, and the task fails with onTaskError, without running", async () => {
    const failures: TaskEndInfo[] = [];
    redis = await startRedisServer();
    await start({ onTaskError: (_error, info) => void failures.push(info) }, { connection: redis.connection, onEnqueueError: 'fail' });
    await stopRedisAfterOneEnqueue();

    await send(`${running!.url}/durable/where/lost`, 'POST');
    await running!.logger.waitFor((l) => l.message.startsWith('Could not enqueue'));
    await new Promise((resolve) => setImmediate(resolve));

    expect(probe.count('lost')).toBe(0);
    expect(ends.map((end) => end.outcome)).toEqual(['enqueued', 'failed']);
    expect(failures).toMatchObject([{ name: 'jobs.where', outcome: 'failed', request: { method: 'POST', route: '/durable/where/:label' } }]);
    expect(running!.logger.ours('error').map((l) => l.message)).toContainEqual(
      expect.stringMatching(/^Task "jobs\.where" of POST \/durable\/where\/:label failed.*: \S/),
    );
  });

  it('app.close() returns at once while Redis is down, worker included (no goodbyes to wait for)', async () => {
    redis = await startRedisServer();
    await start({}, { connection: redis.connection, worker: true });
    const inspect = new Queue('down', { connection: redis.connection });
    await send(`${running!.url}/durable/where/warm-up`, 'POST');
    await probe.seen('warm-up');
    while ((await inspect.getJobCountByTypes('completed')) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await inspect.close();
    await redis.stop();
    const app = running!;
    running = undefined;
    const startedAt = Date.now();
    await app.app.close();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  it('Redis unreachable from the start: the app starts, and the enqueue gives up after enqueueTimeout', async () => {
    await start({}, { connection: { host: '127.0.0.1', port: await deadPort() }, enqueueTimeout: 200 });
    const startedAt = Date.now();
    await send(`${running!.url}/durable/where/never-connected`, 'POST');
    await probe.seen('never-connected');

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
    expect(running!.logger.ours('error').map((l) => l.message)).toContainEqual(
      expect.stringContaining('to queue "down": no answer from Redis within 200 ms (enqueueTimeout). Running them in this process instead'),
    );
    // ioredis retries the connection all along: the log says so once, not once per retry.
    const connectionErrors = running!.logger.ours('error').filter((l) => l.message.startsWith('Redis connection of the queue'));
    expect(connectionErrors.length).toBeGreaterThanOrEqual(1);
    expect(new Set(connectionErrors.map((l) => l.message)).size).toBe(connectionErrors.length);
  });
});
