import type { BackgroundTasksModuleOptions } from '../../lib/index.js';
import { HandlersAppModule, MailService } from '../fixtures/handlers-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

type Mode = 'in-process' | 'durable';
const MODES: Mode[] = ['in-process', 'durable'];

/**
 * The core suite's behaviours, with `@BackgroundTask` handlers passed as method references: the same
 * call sites, run in-process (default) and durable (enqueued to BullMQ on a real Redis, run by this
 * app's worker).
 */
describe.each(MODES)('@BackgroundTask handlers, %s', (mode) => {
  let redis: RedisServer | undefined;
  let queues = 0;

  beforeAll(async () => {
    if (mode === 'durable') redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let running: RunningApp;
    let probe: TaskProbe;
    const processErrors = watchProcessErrors().errors;


    beforeEach(async () => {
      const options: BackgroundTasksModuleOptions =
        mode === 'durable'
          ? { durable: { connection: redis!.connection, queueName: `handlers-${adapter}-${++queues}` } }
          : {};
      running = await startApp(HandlersAppModule.with(options), adapter);
      probe = running.app.get(TaskProbe);
    });
    afterEach(async () => {
      await running.app.close();
      expect(processErrors).toEqual([]);
    });

    /** Durable tasks leave as `Enqueued ...` debug lines; in-process ones never do. */
    const enqueued = () => running.logger.ours('debug').filter((line) => line.message.startsWith('Enqueued')).length;
    /**
     * Durable: `count` enqueue lines, waited for, as each is logged on Redis's reply to the producer,
     * which may reach the process after the worker has already run the job. In-process: none.
     */
    const expectEnqueued = async (count: number) => {
      if (mode === 'durable') await running.logger.waitFor(() => enqueued() >= count);
      expect(enqueued()).toBe(mode === 'durable' ? count : 0);
    };

    it('runs a method reference with its provider as `this` and the exact arguments', async () => {
      const res = await send(`${running.url}/handlers/welcome`, 'POST');
      expect(res.status).toBe(201);
      await probe.seen('welcome');
      expect(probe.events[0].data).toEqual({
        email: 'ada@example.com',
        options: { locale: 'en', tags: ['new', 'eu'] },
        self: true,
      });
      expect(running.app.get(MailService).sent).toEqual(['ada@example.com']);
      await expectEnqueued(1);
    });

    it('runs the handler tasks of a request, from nested services and after an await, in order', async () => {
      await send(`${running.url}/handlers/order`, 'POST');
      await probe.seen('third');
      expect(probe.names()).toEqual(['first', 'audit', 'third']);
      expect(probe.events[0].data).toEqual({ n: 1, nested: { ok: true } });
      // Durable: the three left in one enqueue.
      await expectEnqueued(1);
    });

    it('logs a failing handler by its name, without its arguments, and runs the rest', async () => {
      await send(`${running.url}/handlers/failing`, 'POST');
      await probe.seen('after-failure');
      const line = await running.logger.waitFor((l) => l.level === 'error' && l.message.includes('email.failing'));
      expect(line.context).toBe('BackgroundTasks');
      // In-process: `... failed after 1 attempt in 0.2 ms: ...`; on a worker: `... (job <handle id>) failed: ...`.
      expect(line.message).toMatch(/^Task "email\.failing" of POST \/handlers\/failing (\(job [0-9a-f]{10}-[0-9a-z]+\) )?failed.*: mailer down$/);
      expect(line.stack).toContain('Error: mailer down');
      const everything = JSON.stringify(running.logger.lines);
      expect(everything).not.toContain('alice@example.com');
      expect(everything).not.toContain('tok_SECRET123');
    });

    it("drops the handler tasks when the handler throws, and runs runOn: 'error' ones", async () => {
      const res = await send(`${running.url}/handlers/throws`, 'POST');
      expect(res.status).toBe(409);
      await probe.seen('compensate');
      // A later request's task runs after anything the first one could still have run.
      await send(`${running.url}/handlers/welcome`, 'POST');
      await probe.seen('welcome');
      expect(probe.count('should-not-run')).toBe(0);
    });

    it('keeps plain functions in-process next to handlers', async () => {
      await send(`${running.url}/handlers/mixed`, 'POST');
      await probe.seen('plain');
      await probe.seen('handler');
      expect(probe.events.find((e) => e.name === 'plain')?.data).toEqual({ pid: process.pid });
      await expectEnqueued(1);
    });

    it('runs each task of 40 concurrent requests exactly once', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => i);
      await Promise.all(ids.map((id) => send(`${running.url}/handlers/concurrent/${id}`, 'POST')));
      await probe.until((p) => p.count('concurrent') === 40);
      const seen = probe.events.filter((e) => e.name === 'concurrent').map((e) => (e.data as { n: number }).n);
      expect([...seen].sort((a, b) => a - b)).toEqual(ids);
      await expectEnqueued(40);
    });
  });
});
