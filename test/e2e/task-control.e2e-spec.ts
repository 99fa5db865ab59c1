import type { TaskEndInfo } from '../../lib/index.js';
import { ControlAppModule } from '../fixtures/control-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { watchProcessErrors } from '../support/process-errors.js';
import { send, sendAndAbortLater } from '../support/http.js';
import type { BackgroundTasksModuleOptions } from '../../lib/index.js';

describe.each(ADAPTERS)('task control on %s', (adapter) => {
  let running: RunningApp;
  let probe: TaskProbe;
  const processErrors = watchProcessErrors().errors;

  async function start(options: BackgroundTasksModuleOptions = {}) {
    running = await startApp(ControlAppModule.with(options), adapter);
    probe = running.app.get(TaskProbe);
  }

  afterEach(async () => {
    await running?.app.close();
    expect(processErrors).toEqual([]);
  });

  it('timeout: reports the task by name, aborts its signal, runs the next task, and frees the slot', async () => {
    await start({ maxConcurrent: 1 });
    await send(`${running.url}/timeout`, 'POST');
    await probe.seen('after-hang');
    const line = await running.logger.waitFor((l) => l.message.includes('timed out'));
    expect(line.level).toBe('error');
    expect(line.message).toMatch(/^Task "hangs" of POST \/timeout timed out after 50 ms \(attempt 1 of 1, [\d.]+ ms in all\)$/);
    expect(probe.events.find((e) => e.name === 'hang-aborted')?.data).toBe('TimeoutError');
    // With one slot in the whole process, a later request's task can only run if the hung one let go.
    await send(`${running.url}/quick`, 'POST');
    await probe.seen('quick');
  });

  it('retries: fails twice then succeeds with retries: 2; retries are logged at warn, no error', async () => {
    const ends: TaskEndInfo[] = [];
    await start({ onTaskError: (_error, info) => void ends.push(info) });
    await send(`${running.url}/retries/2/2`, 'POST');
    await probe.seen('flaky-ok');
    expect(probe.count('flaky-call')).toBe(3);
    expect(running.logger.ours('warn').map((l) => l.message)).toEqual([
      expect.stringMatching(/^Task "flaky" of POST \/retries\/:failures\/:retries failed on attempt 1 of 3 \([\d.]+ ms in all\), retrying in \d+ ms: failure 1$/),
      expect.stringMatching(/^Task "flaky" of POST \/retries\/:failures\/:retries failed on attempt 2 of 3 \([\d.]+ ms in all\), retrying in \d+ ms: failure 2$/),
    ]);
    expect(running.logger.ours('error')).toEqual([]);
    expect(ends).toEqual([]);
  });

  it('retries: a task that keeps failing is reported once, as failed, with the attempt count', async () => {
    const ends: { error: unknown; info: TaskEndInfo }[] = [];
    await start({ onTaskError: (error, info) => void ends.push({ error, info }) });
    await send(`${running.url}/retries/9/2`, 'POST');
    await running.logger.waitFor((l) => l.level === 'error');
    expect(probe.count('flaky-call')).toBe(3);
    const errors = running.logger.ours('error');
    expect(errors.map((l) => l.message)).toEqual([
      expect.stringMatching(/^Task "flaky" of POST \/retries\/:failures\/:retries failed after 3 attempts in [\d.]+ ms: failure 3$/),
    ]);
    expect(errors[0].stack).toContain('Error: failure 3');
    await new Promise((resolve) => setImmediate(resolve));
    expect(ends).toHaveLength(1);
    expect((ends[0].error as Error).message).toBe('failure 3');
    expect(ends[0].info).toMatchObject({
      name: 'flaky',
      outcome: 'failed',
      attempt: 3,
      maxAttempts: 3,
      request: { method: 'POST', route: '/retries/:failures/:retries' },
    });
    expect(JSON.stringify(ends[0].info)).not.toContain('args');
  });

  it('retryIf: an error it rejects is not retried', async () => {
    await start();
    await send(`${running.url}/retry-if`, 'POST');
    await running.logger.waitFor((l) => l.level === 'error' && l.message.includes('permanent'));
    expect(probe.count('permanent-call')).toBe(1);
  });

  it('onTaskError that throws is logged and changes nothing else', async () => {
    await start({
      onTaskError: () => {
        throw new Error('hook broke');
      },
    });
    await send(`${running.url}/retries/9/0`, 'POST');
    const line = await running.logger.waitFor((l) => l.message.includes('hook threw'));
    expect(line.message).toBe('The onTaskError hook threw for task "flaky": hook broke');
  });

  it.each([
    ['return', 201, ['ran-success', 'ran-always']],
    ['http', 409, ['ran-always', 'ran-error']],
    ['unknown', 500, ['ran-always', 'ran-error']],
  ])('runOn: a handler that ends with %s runs %j', async (handler, status, expected) => {
    await start();
    const res = await send(`${running.url}/run-on/${handler}`, 'POST');
    expect(res.status).toBe(status);
    await probe.seen(expected[1]);
    await running.app.close();
    expect(probe.names()).toEqual(expected);
    const dropped = running.logger.ours('debug').filter((l) => l.message.startsWith('Dropped'));
    expect(dropped).toHaveLength(1);
  });

  it.each([
    ['run', ['default-policy', 'run-policy']],
    ['drop', ['run-policy']],
  ])('client abort policy: module default %s, per-task overrides honoured', async (policy, expected) => {
    await start({ defaults: { onClientAbort: policy as 'run' | 'drop' } });
    const call = sendAndAbortLater(`${running.url}/client-abort`);
    await probe.seen('handler-waiting');
    call.abort();
    await probe.seen('client-gone');
    probe.gate('client-abort').open();
    await probe.seen('run-policy');
    await running.app.close();
    expect(probe.names().filter((n) => n !== 'handler-waiting' && n !== 'client-gone')).toEqual(expected);
  });

  it('named tasks: the last one of a name wins unless dedupe is false; unnamed are never merged; pending is visible', async () => {
    await start();
    const res = await send(`${running.url}/dedupe`, 'POST');
    expect(JSON.parse(res.body).pending).toEqual([
      { id: expect.any(String), name: 'digest', runOn: 'success' },
      { id: expect.any(String), name: 'keep-both', runOn: 'success' },
      { id: expect.any(String), name: 'keep-both', runOn: 'success' },
      { id: expect.any(String), name: 'record', runOn: 'success' },
      { id: expect.any(String), name: 'record', runOn: 'success' },
    ]);
    await probe.seen('digest', 5);
    expect(probe.events.map((e) => e.data)).toEqual(['second', 'third', 'fourth', 'fifth', 'sixth']);
  });

  it('cancel(name) removes the pending task and says how many it removed', async () => {
    await start();
    const res = await send(`${running.url}/cancel`, 'POST');
    expect(JSON.parse(res.body)).toEqual({ removed: 1, missing: 0, pending: ['receipt'] });
    await probe.seen('receipt');
    await running.app.close();
    expect(probe.names()).toEqual(['receipt']);
  });

  it('maxConcurrent: 2 is never exceeded across 100 concurrent requests, and every task runs', async () => {
    await start({ maxConcurrent: 2 });
    await Promise.all(Array.from({ length: 100 }, (_, i) => send(`${running.url}/concurrent/${i}`, 'POST')));
    await probe.until((p) => p.count('leave') === 100);
    let inside = 0;
    let most = 0;
    for (const event of probe.events) {
      if (event.name === 'enter') most = Math.max(most, ++inside);
      if (event.name === 'leave') inside--;
    }
    expect(most).toBe(2);
  });

  it('concurrency: 2 runs two tasks of one request at once', async () => {
    await start({ concurrency: 2 });
    await send(`${running.url}/parallel`, 'POST');
    await probe.seen('a-done');
    expect(probe.names()).toEqual(['a-started', 'b-started', 'a-done']);
  });

  it('maxQueued: a full queue rejects at addTask with a clear error (default policy), and nothing is lost', async () => {
    await start({ maxQueued: 3 });
    const res = await send(`${running.url}/queue/5`, 'POST');
    const results = JSON.parse(res.body) as string[];
    expect(results.slice(0, 3)).toEqual(['added', 'added', 'added']);
    expect(results[3]).toBe(
      'full: Task "anonymous" was not added: 3 background tasks are already waiting (maxQueued). Raise maxQueued or maxConcurrent, or set onQueueFull: \'run\' to accept tasks past the bound.',
    );
    await probe.seen('queued-task', 3);
    await running.app.close();
    expect(probe.events.map((e) => e.data)).toEqual([0, 1, 2]);
  });

  it("maxQueued with onQueueFull: 'run' accepts every task", async () => {
    await start({ maxQueued: 3, onQueueFull: 'run' });
    const res = await send(`${running.url}/queue/5`, 'POST');
    expect(JSON.parse(res.body)).toEqual(['added', 'added', 'added', 'added', 'added']);
    await probe.seen('queued-task', 5);
  });

  it('shutdown deadline: aborts the signals of running tasks and logs them by name', async () => {
    await start({ drainTimeout: 50 });
    await send(`${running.url}/abortable-slow`, 'POST');
    await probe.seen('export-started');
    await running.app.close();
    await probe.seen('export-aborted');
    expect(probe.events.find((e) => e.name === 'export-aborted')?.data).toBe('AbortError');
    expect(running.logger.ours('error').map((l) => l.message)).toEqual([
      'Task "long-export" of POST /abortable-slow abandoned at the drain deadline while running',
    ]);
  });

  it('with() rejects bad options with a TypeError naming the option', async () => {
    await start();
    const res = await send(`${running.url}/bad-options`, 'POST');
    expect(JSON.parse(res.body)).toEqual([
      'TypeError: BackgroundTasks.with(): option "timeout" must be a number >= 0, but received a number (-5).',
      'TypeError: BackgroundTasks.with(): option "retries" must be an integer from 0 to 1000, but received a number (1.5).',
      'TypeError: BackgroundTasks.with(): option "runOn" must be \'success\' | \'always\' | \'error\', but received a string.',
      'TypeError: BackgroundTasks.with(): option "name" must be a non-empty string of at most 200 characters, but received a string.',
      'TypeError: BackgroundTasks.with() expects an options object, but received null.',
    ]);
  });
});
