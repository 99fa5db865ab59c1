import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import request from 'supertest';
import { BackgroundTasksModule } from '../../lib/index.js';
import { BackgroundTasksTester } from '../../lib/testing/index.js';
import { RpcAppModule } from '../fixtures/rpc-app.module.js';
import { KIT_TASKS_MODULE, KitAppByReferenceModule, KitAppModule } from '../fixtures/kit-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, type AdapterName } from '../support/app.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { sendAndAbortLater } from '../support/http.js';
import { startMicroservice, type RunningMicroservice } from '../support/microservice.js';
import { watchProcessErrors } from '../support/process-errors.js';

/** A settled flag for a promise, so a test can say "not yet" after giving it the chance. */
function track<T>(promise: Promise<T>) {
  const state = { settled: false };
  void promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

/** A few turns of the event loop: enough for anything already due to have happened. */
async function turns(count = 5) {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe.each(ADAPTERS)('testing kit on %s', (adapter: AdapterName) => {
  let app: INestApplication;
  let url: string;
  let probe: TaskProbe;
  let logger: CaptureLogger;
  let tester: BackgroundTasksTester;
  const processErrors = watchProcessErrors();

  /** The way users build an app in tests: `Test.createTestingModule`, then listen (on 127.0.0.1 here). */
  async function boot(imports: unknown[], configure: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b) {
    const moduleRef = await configure(Test.createTestingModule({ imports: imports as never[] })).compile();
    logger = new CaptureLogger();
    app = moduleRef.createNestApplication(adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    probe = app.get(TaskProbe);
    tester = BackgroundTasksTester.of(moduleRef);
  }

  afterEach(async () => {
    await app?.close();
    expect(processErrors.errors).toEqual([]);
  });

  describe('idle()', () => {
    it('resolves after every task, and the tasks those tasks add, has settled', async () => {
      await boot([KitAppModule.with()]);
      await request(url).post('/signup/idle').expect(201);
      const idle = track(tester.idle());
      await probe.seen('deliver-started');
      await turns();
      expect(idle.settled).toBe(false);
      probe.gate('idle').open();
      await tester.idle();
      expect(probe.names()).toEqual(['deliver-started', 'deliver-finished', 'follow-up']);
      expect(tester.outstanding).toBe(0);
    });

    it('wins the race with the server: the client has the response, the server has not seen it finish yet', async () => {
      await boot([KitAppModule.with()]);
      await request(url).post('/held-finish').expect(201);
      await probe.seen('finish-held');
      // The client has the whole response; on the server the batch still waits for `finish`.
      expect(tester.outstanding).toBe(1);
      const idle = track(tester.idle());
      await turns();
      expect(idle.settled).toBe(false);
      expect(probe.count('after-finish')).toBe(0);
      probe.gate('finish').open();
      await tester.idle();
      expect(probe.count('after-finish')).toBe(1);
    });

    it('rejects at its timeout, saying how many tasks are left', async () => {
      await boot([KitAppModule.with({ drainTimeout: 0 })]);
      await request(url).post('/signup/never').expect(201);
      await probe.seen('deliver-started');
      await expect(tester.idle({ timeout: 20 })).rejects.toThrow('Background tasks still outstanding after 20 ms: 1 task(s).');
    });
  });

  describe("inline mode (FastAPI's TestClient)", () => {
    /** Starts a request, and checks it cannot complete while its task is held on `gate`. */
    async function expectHeldUntilTasksSettle(call: request.Test, gate: string) {
      const response = track(call.then((res) => res));
      await probe.seen('deliver-started');
      await turns();
      expect(response.settled).toBe(false);
      probe.gate(gate).open();
      const res = await call;
      // By the time the client has the response, the task has finished (and so has its follow-up, if any).
      expect(probe.count('deliver-finished')).toBe(1);
      return res;
    }

    it('the request does not complete before its tasks (and the tasks they add) have settled', async () => {
      await boot([KitAppModule.with()]);
      tester.setMode('inline');
      const res = await expectHeldUntilTasksSettle(request(url).post('/signup/inline'), 'inline');
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ status: 'registered' });
      expect(probe.names()).toEqual(['deliver-started', 'deliver-finished', 'follow-up']);
    });

    it.each([
      ['StreamableFile', (u: string) => request(u).get('/stream/s'), 's', 200, 'chunk-1;chunk-2'],
      ['StreamableFile of a Buffer (Content-Length)', (u: string) => request(u).get('/stream-buffer/b'), 'b', 200, 'hello'],
      ['StreamableFile of a stream with { length }', (u: string) => request(u).get('/stream-length/l'), 'l', 200, 'hello'],
      ['@Redirect', (u: string) => request(u).get('/redirect/r'), 'r', 302, undefined],
      ['@Res() with a manual send', (u: string) => request(u).get('/manual/m'), 'm', 200, 'sent by hand'],
    ])('%s: same, and the body arrives whole', async (_kind, call, gate, status, text) => {
      await boot([KitAppModule.with()]);
      tester.setMode('inline');
      const res = await expectHeldUntilTasksSettle(call(url), gate);
      expect(res.status).toBe(status);
      if (text !== undefined) expect(res.text ?? Buffer.from(res.body as Buffer).toString()).toBe(text);
    });

    it('a handler that throws: runOn rules still apply, the error response waits for the tasks that run', async () => {
      await boot([KitAppModule.with()]);
      tester.setMode('inline');
      const res = await expectHeldUntilTasksSettle(request(url).post('/fails/f'), 'f');
      expect(res.status).toBe(409);
      expect(probe.events.map((e) => e.data)).toEqual(['compensate@example.com', 'compensate@example.com']);
    });

    it('a client that gives up while the end is held: the tasks finish, nothing escapes', async () => {
      await boot([KitAppModule.with()]);
      tester.setMode('inline');
      const call = sendAndAbortLater(`${url}/signup/gone`);
      await probe.seen('deliver-started');
      call.abort();
      await call.settled;
      probe.gate('gone').open();
      await tester.idle();
      expect(probe.names()).toEqual(['deliver-started', 'deliver-finished', 'follow-up']);
      // The server is fine afterwards.
      await request(url).get('/no-tasks').expect(200);
    });

    it('is a forRoot option too, and routes without tasks are untouched', async () => {
      await boot([KitAppModule.with({ testMode: 'inline' })]);
      expect(tester.mode).toBe('inline');
      await request(url).get('/no-tasks').expect(200, { ok: true });
      await expectHeldUntilTasksSettle(request(url).post('/signup/opt'), 'opt');
    });
  });

  describe('record mode', () => {
    it('records names, arguments, options and request; runs nothing until asked; never logs arguments', async () => {
      await boot([KitAppModule.with({ testMode: 'record' })]);
      await request(url).post('/record').expect(201);
      // Recorded at addTask: readable as soon as the response is in, without waiting.
      expect(tester.recorded.map((t) => [t.name, t.args.at(-1)])).toEqual([
        ['digest', 'first@example.com'],
        ['digest', 'second@example.com'],
        ['on-error', 'never@example.com'],
        ['cancelled', 'cancelled@example.com'],
        ['welcome-email', 'record'],
        ['abortable', 41],
      ]);
      await tester.idle();
      const byName = (name: string) => tester.recorded.filter((t) => t.name === name);
      expect(tester.recorded.map((t) => t.status)).toEqual(['cancelled', 'held', 'dropped', 'cancelled', 'held', 'held']);
      expect(byName('welcome-email')[0]).toMatchObject({
        args: ['ada@example.com', 'record'],
        abortable: false,
        request: { method: 'POST', route: '/record' },
        options: { runOn: 'success', retries: 0 },
      });
      expect(byName('abortable')[0]).toMatchObject({ abortable: true, options: { timeout: 1000, retries: 2 } });
      expect(probe.names()).toEqual([]);

      probe.gate('record').open();
      const ran = await tester.runRecorded('welcome-email');
      expect(ran.map((t) => [t.name, t.status])).toEqual([['welcome-email', 'succeeded']]);
      expect(probe.names()).toEqual(['deliver-started', 'deliver-finished']);
      // The task's own follow-up was recorded in turn, and waits to be run.
      expect(tester.recorded.at(-1)).toMatchObject({ name: 'followUp', args: ['ada@example.com'], status: 'held' });
      const rest = await tester.runRecorded();
      expect(rest.map((t) => [t.name, t.status])).toEqual([
        ['digest', 'succeeded'],
        ['abortable', 'succeeded'],
        ['followUp', 'succeeded'],
      ]);
      expect(probe.events.map((e) => e.data)).toEqual(['ada@example.com', 'ada@example.com', 'second@example.com', 'second@example.com', 'ada@example.com']);
      expect(JSON.stringify(logger.lines)).not.toContain('@example.com');
      tester.clearRecorded();
      expect(tester.recorded).toEqual([]);
    });

    it('works through overrideModule() when the app imports the module by reference', async () => {
      await boot([KitAppByReferenceModule], (builder) =>
        builder.overrideModule(KIT_TASKS_MODULE).useModule(BackgroundTasksModule.forRoot({ testMode: 'record' })),
      );
      await request(url).post('/signup/ref').expect(201);
      expect(tester.recorded.map((t) => t.name)).toEqual(['welcome-email']);
      await tester.idle();
      expect(probe.names()).toEqual([]);
    });

    it('setMode() switches per test; tasks recorded stay held after switching back', async () => {
      await boot([KitAppModule.with()]);
      tester.setMode('record');
      await request(url).post('/signup/switch').expect(201);
      tester.setMode('background');
      await request(url).get('/stream/plain').expect(200);
      probe.gate('plain').open();
      await tester.idle();
      expect(probe.events.map((e) => e.data)).toEqual(['stream@example.com', 'stream@example.com']);
      expect(tester.recorded.map((t) => [t.name, t.status])).toEqual([['welcome-email', 'held']]);
      expect(() => tester.setMode('later' as never)).toThrow(TypeError);
    });
  });

  it('of() refuses an application without the module', async () => {
    app = (await Test.createTestingModule({}).compile()).createNestApplication();
    expect(() => BackgroundTasksTester.of(app)).toThrow('BackgroundTasksTester.of(): this application does not import BackgroundTasksModule.');
  });
});

describe('testing kit on a TCP microservice', () => {
  const processErrors = watchProcessErrors();
  let running: RunningMicroservice;
  let probe: TaskProbe;
  let tester: BackgroundTasksTester;

  beforeEach(async () => {
    running = await startMicroservice(RpcAppModule.with());
    probe = running.app.get(TaskProbe);
    tester = BackgroundTasksTester.of(running.app);
  });
  afterEach(async () => {
    await running.close();
    expect(processErrors.errors).toEqual([]);
  });

  it('idle() waits for the tasks of a message once its reply is in', async () => {
    await firstValueFrom(running.client.send('who', 'm1'));
    await tester.idle();
    expect(probe.events).toEqual([
      { name: 'who-task', data: 'm1' },
      { name: 'who-task-2', data: 'm1' },
    ]);
  });

  it('record mode records the tasks of a message, and runs them on demand', async () => {
    tester.setMode('record');
    await firstValueFrom(running.client.send('who', 'm2'));
    await tester.idle();
    expect(tester.recorded.map((t) => [t.args.at(-1), t.status])).toEqual([
      ['m2', 'held'],
      ['m2', 'held'],
    ]);
    expect(probe.events).toEqual([]);
    await tester.runRecorded();
    expect(probe.names()).toEqual(['who-task', 'who-task-2']);
  });
});
