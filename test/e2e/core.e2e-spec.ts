import { REQUEST_SCOPED } from '../support/request-scope-mode.js';
import { CoreAppModule, TASKS_WAYS } from '../fixtures/core-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { getFromOtherProcess } from '../support/cross-process-client.js';
import { watchProcessErrors } from '../support/process-errors.js';
import { send, sendAndAbortLater, sendStreaming } from '../support/http.js';
import { expectNoContextIds } from '../support/context-ids.js';

// Every way in, with the interceptor global (`globalInterceptor: true`), attached where tasks can be added
// (the default) and absent (`globalInterceptor: false`).
const HOOKS = ['global interceptor', 'interceptor where needed', 'no global interceptor'] as const;
const GLOBAL_INTERCEPTOR = { 'global interceptor': true, 'interceptor where needed': undefined, 'no global interceptor': false } as const;
const CASES = ADAPTERS.flatMap((adapter) =>
  TASKS_WAYS.flatMap((way) => HOOKS.map((hook) => [adapter, way, hook] as const)),
);

describe.each(CASES)('BackgroundTasks on %s, tasks by %s, %s', (adapter, way, hook) => {
  let running: RunningApp;
  let probe: TaskProbe;
  const processErrors = watchProcessErrors().errors;

  beforeEach(async () => {
    running = await startApp(CoreAppModule.with({ globalInterceptor: GLOBAL_INTERCEPTOR[hook] }, way), adapter);
    probe = running.app.get(TaskProbe);
  });
  afterEach(async () => {
    await running.app.close();
    expect(processErrors).toEqual([]);
  });

  describe('runs tasks only after the response has been sent', () => {
    it('plain return: the response has finished when the task starts', async () => {
      const res = await send(`${running.url}/plain`, 'POST');
      expect(res.status).toBe(201);
      await probe.seen('plain');
      expect(probe.events.find((e) => e.name === 'plain')?.data).toEqual({ sentAtStart: true });
    });

    it('a task blocking the event loop for 400 ms does not delay its response (client in another process)', async () => {
      const client = await getFromOtherProcess(`${running.url}/block`);
      await probe.seen('blocked');
      const { end } = probe.events.find((e) => e.name === 'blocked')?.data as { start: number; end: number };
      expect(client.status).toBe(200);
      // Had the task run before the response was written, the client could only have had it after the block.
      expect(client.receivedAt).toBeLessThan(end);
    });

    it('StreamableFile: the task waits for the last byte', async () => {
      const stream = sendStreaming(`${running.url}/stream`);
      // The first chunk has arrived and the stream waits on the gate: the task must not have started.
      expect(await stream.firstChunk).toBe('first-chunk;');
      expect(probe.count('stream-task')).toBe(0);
      probe.gate('stream-end').open();
      expect(await stream.body).toBe('first-chunk;last-chunk');
      await probe.seen('stream-task');
      expect(probe.events.find((e) => e.name === 'stream-task')?.data).toEqual({ sentAtStart: true });
    });

    it('@Res() with a manual send: the task waits for the send', async () => {
      const pending = send(`${running.url}/manual`);
      await probe.seen('manual-returned');
      expect(probe.count('manual-task')).toBe(0);
      probe.gate('manual-send').open();
      expect((await pending).body).toBe('sent by hand');
      await probe.seen('manual-task');
      expect(probe.events.find((e) => e.name === 'manual-task')?.data).toEqual({ sentAtStart: true });
    });

    it('@Redirect: the task runs after the redirect has been sent', async () => {
      const res = await send(`${running.url}/redirect`);
      expect(res.status).toBe(302);
      await probe.seen('redirect-task');
      expect(probe.events.find((e) => e.name === 'redirect-task')?.data).toEqual({ sentAtStart: true });
    });
  });

  it('runs the tasks of a request one after another, in order, with the exact arguments', async () => {
    await send(`${running.url}/order`, 'POST');
    await probe.seen('third');
    expect(probe.names()).toEqual(['first', 'second', 'third']);
    expect(probe.events[0].data).toEqual({ n: 1, s: 'one', same: true });
    expect(probe.events[2].data).toEqual({ touchedBy: ['first', 'second'] });
  });

  it('isolates failing tasks, logs each with its name and stack, and runs the rest', async () => {
    await send(`${running.url}/failing`, 'POST');
    await probe.seen('after-failures');
    const errors = running.logger.ours('error');
    // Each line: name, route, attempts and duration, then the error (durations vary: matched loosely).
    const ms = String.raw`[\d.]+ ms`;
    expect(errors.map((line) => line.message)).toEqual(
      [
        ['syncThrow', 'sync boom'],
        ['asyncReject', 'async boom'],
        ['throwsString', 'threw a string: string boom'],
        ['throwsUndefined', String.raw`threw a non-Error value \(undefined\)`],
        ['anonymous', 'anonymous boom'],
      ].map(([name, error]) => expect.stringMatching(new RegExp(`^Task "${name}" of POST /failing failed after 1 attempt in ${ms}: ${error}$`))),
    );
    expect(errors[0].stack).toContain('Error: sync boom');
    expect(errors[0].stack).toContain('syncThrow');
    expect(errors[1].stack).toContain('asyncReject');
  });

  it('never logs task arguments', async () => {
    await send(`${running.url}/secret`, 'POST');
    await running.logger.waitFor((line) => line.message.includes('leaksNothing'));
    const everything = JSON.stringify(running.logger.lines);
    expect(everything).not.toContain('alice@example.com');
    expect(everything).not.toContain('tok_SECRET123');
  });

  it.each(['http', 'unknown'])('drops the tasks when the handler throws (%s) and says how many at debug level', async (kind) => {
    const res = await send(`${running.url}/throws/${kind}`, 'POST');
    expect(res.status).toBe(kind === 'http' ? 409 : 500);
    const line = await running.logger.waitFor((l) => l.context === 'BackgroundTasks' && l.message.startsWith('Dropped'));
    expect(line.level).toBe('debug');
    expect(line.message).toContain('Dropped 2 task(s) of POST /throws/:kind');
    expect(probe.count('should-not-run')).toBe(0);
  });

  // Without the interceptor nothing sees the exception: the status code is the only word on the handler.
  const seesThrow = hook !== 'no global interceptor';
  it(`${seesThrow ? 'drops' : 'runs'} the tasks when the handler threw into a filter that answered 200`, async () => {
    const res = await send(`${running.url}/throws-into-ok-filter`, 'POST');
    expect(res.status).toBe(200);
    if (seesThrow) {
      await running.logger.waitFor((l) => l.context === 'BackgroundTasks' && l.message.startsWith('Dropped 1 task(s)'));
      expect(probe.count('after-filtered-throw')).toBe(0);
    } else {
      await probe.seen('after-filtered-throw');
    }
  });

  it('runs tasks added after an await, from nested services, and by other tasks; one instance per request', async () => {
    const res = await send(`${running.url}/deep`, 'POST');
    expect(JSON.parse(res.body)).toEqual({ sameInService: true, sameInNestedService: true });
    await probe.seen('child');
    expect(probe.names()).toEqual(['after-await', 'audit', 'parent', 'child']);
  });

  it('runs a task added after the batch has finished, as a batch of its own', async () => {
    await send(`${running.url}/late`, 'POST');
    await probe.seen('early');
    probe.gate('add-late').open();
    await probe.seen('late');
    expect(probe.names()).toEqual(['early', 'late']);
  });

  it('runs the tasks when the client aborts after the handler started', async () => {
    const call = sendAndAbortLater(`${running.url}/abort`);
    await probe.seen('handler-waiting');
    call.abort();
    await probe.seen('client-gone');
    probe.gate('abort-handler').open();
    await probe.seen('after-abort');
  });

  it('never shares or swaps tasks between 60 concurrent requests', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `r${i}`);
    await Promise.all(ids.map((id) => send(`${running.url}/concurrent/${id}`, 'POST')));
    await probe.until((p) => p.count('concurrent') === 60 && p.count('concurrent-2') === 60);
    for (const name of ['concurrent', 'concurrent-2']) {
      const seen = probe.events.filter((e) => e.name === name).map((e) => e.data as string);
      expect([...seen].sort()).toEqual([...ids].sort());
    }
  });

  it('throws a TypeError naming what addTask received instead of a function', async () => {
    const res = await send(`${running.url}/bad-input`, 'POST');
    expect(JSON.parse(res.body)).toEqual([
      'TypeError: BackgroundTasks.addTask() expects a function as its first argument, but received undefined.',
      'TypeError: BackgroundTasks.addTask() expects a function as its first argument, but received null.',
      'TypeError: BackgroundTasks.addTask() expects a function as its first argument, but received a string.',
      'TypeError: BackgroundTasks.addTask() expects a function as its first argument, but received a number.',
      'TypeError: BackgroundTasks.addTask() expects a function as its first argument, but received an object (Object).',
      'TypeError: BackgroundTasks.addTask() expects a function as its first argument, but received a Promise (did you call the task instead of passing it?).',
    ]);
  });

  // Under requestScoped: false nothing is request-scoped: the controller stays a singleton either way.
  const rebuilt = way === 'inject' && REQUEST_SCOPED;
  it(`${rebuilt ? 'rebuilds' : 'keeps'} the controller that adds tasks ${rebuilt ? 'per request' : 'a singleton'}`, async () => {
    const count = async () => (JSON.parse((await send(`${running.url}/constructions`)).body) as { constructions: number }).constructions;
    const before = await count();
    await send(`${running.url}/plain`, 'POST');
    await send(`${running.url}/plain`, 'POST');
    await probe.seen('plain', 2);
    const after = await count();
    if (rebuilt) expect(after).toBeGreaterThanOrEqual(before + 2);
    else expect(after).toBe(before);
  });

  it('keeps routes that never inject BackgroundTasks static and free of context ids', async () => {
    await expectNoContextIds(async () => {
      const first = JSON.parse((await send(`${running.url}/static`)).body);
      const second = JSON.parse((await send(`${running.url}/static`)).body);
      expect(second.constructions).toBe(first.constructions);
    });
  });
});
