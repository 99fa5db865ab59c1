import { Queue } from 'bullmq';
import { DurableAppModule } from '../fixtures/durable-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const DRAIN_TIMEOUT = 1_000;

/**
 * Issue 26, item 9: Redis hangs (SIGSTOP: its connections stay open, nothing answers). Closing the
 * queue, the worker and their clients must not wait for Redis past the drain deadline.
 */
describe('durable mode with Redis hung (SIGSTOP)', () => {
  let redis: RedisServer | undefined;
  let running: RunningApp | undefined;
  const processErrors = watchProcessErrors().errors;

  afterEach(async () => {
    const app = running;
    running = undefined;
    redis?.resume();
    await app?.app.close();
    await redis?.stop();
    redis = undefined;
    expect(processErrors).toEqual([]);
  });

  /** Starts the app, has one task enqueued (and run, with a worker), then freezes Redis. */
  async function startThenHang(worker: boolean): Promise<RunningApp> {
    redis = await startRedisServer();
    running = await startApp(
      DurableAppModule.with({ drainTimeout: DRAIN_TIMEOUT, durable: { connection: redis.connection, queueName: 'hung', worker } }),
    );
    const probe = running.app.get(TaskProbe);
    const inspect = new Queue('hung', { connection: redis.connection });
    await send(`${running.url}/durable/where/warm-up`, 'POST');
    await running.logger.waitFor((line) => line.message.startsWith('Enqueued 1 durable task(s)'));
    if (worker) {
      await probe.seen('warm-up');
      while ((await inspect.getJobCountByTypes('completed')) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await inspect.close();
    redis.pause();
    return running;
  }

  async function closeWithinBound(app: RunningApp): Promise<number | 'too slow'> {
    const startedAt = Date.now();
    const closing = app.app.close().then(() => Date.now() - startedAt);
    const bound = new Promise<'too slow'>((resolve) => setTimeout(() => resolve('too slow'), DRAIN_TIMEOUT + 1_500).unref());
    const took = await Promise.race([closing, bound]);
    if (took === 'too slow') {
      // Let the test end: thawed, Redis answers and the close finishes.
      redis?.resume();
      await closing;
    }
    return took;
  }

  it.each([
    ['a web app that only enqueues', false],
    ['an app with a worker', true],
  ])('%s: app.close() returns within drainTimeout + 1500 ms', async (_label, worker) => {
    const app = await startThenHang(worker);
    running = undefined;
    expect(await closeWithinBound(app)).toBeLessThan(DRAIN_TIMEOUT + 1_500);
  });

  it('a task enqueued while Redis hangs falls back after enqueueTimeout, and close() still returns in time', async () => {
    const app = await startThenHang(false);
    const probe = app.app.get(TaskProbe);
    await send(`${app.url}/durable/where/while-hung`, 'POST');
    running = undefined;
    expect(await closeWithinBound(app)).toBeLessThan(DRAIN_TIMEOUT + 1_500);
    // Never silently lost: it ran here (enqueue fallback) or was logged as abandoned at the deadline.
    const ran = probe.count('while-hung') === 1;
    const abandoned = app.logger.ours('error').some((line) => line.message.includes('abandoned at the drain deadline'));
    expect(ran || abandoned).toBe(true);
  });
});
