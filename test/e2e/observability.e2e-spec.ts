import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type {
  BackgroundTasksMetricsSnapshot,
  BackgroundTasksModuleOptions,
  DrainInfo,
  TaskEndInfo,
  TaskInfo,
} from '../../lib/index.js';
import { BackgroundTasksHealthIndicator, BackgroundTasksMetrics } from '../../lib/index.js';
import { BackgroundTasksTester } from '../../lib/testing/index.js';
import { ObserveAppModule, SECRET } from '../fixtures/observe-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();

describe.each(ADAPTERS)('observability on %s', (adapter) => {
  let running: RunningApp;
  let probe: TaskProbe;
  let tester: BackgroundTasksTester;
  const processErrors = watchProcessErrors();

  async function start(options: BackgroundTasksModuleOptions = {}) {
    running = await startApp(ObserveAppModule.with(options), adapter);
    probe = running.app.get(TaskProbe);
    tester = BackgroundTasksTester.of(running.app);
  }

  /** Sends a request and waits for its tasks (and what they add) to settle. */
  async function call(path: string, method = 'POST') {
    const res = await send(`${running.url}${path}`, method);
    await tester.idle();
    return res;
  }

  afterEach(async () => {
    await running?.app.close();
    expect(processErrors.errors).toEqual([]);
  });

  describe('lifecycle log lines', () => {
    it('by default only what needs a look: retrying at warn, failed and timed out at error; never args', async () => {
      await start();
      await call('/ok');
      await call('/flaky');
      await call('/fail');
      await call('/slow');
      const ms = String.raw`[\d.]+ ms`;
      expect(running.logger.ours().map((l) => `${l.level} ${l.message}`)).toEqual(
        [
          String.raw`warn Task "flaky" of POST /flaky failed on attempt 1 of 2 \(${ms} in all\), retrying in 1 ms: first attempt fails`,
          String.raw`error Task "failTask" of POST /fail failed after 1 attempt in ${ms}: cannot reach the mail server \(18\)`,
          String.raw`error Task "slow" of POST /slow timed out after 20 ms \(attempt 1 of 1, ${ms} in all\)`,
        ].map((pattern) => expect.stringMatching(new RegExp(`^${pattern}$`))),
      );
      expect(JSON.stringify(running.logger.lines)).not.toContain(SECRET);
    });

    it('started and succeeded when asked for: name, attempt, duration, route; never args', async () => {
      await start({ logLevels: { started: 'debug', succeeded: 'debug' } });
      await call('/ok');
      await call('/flaky');
      await call('/fail');
      await call('/slow');
      const ours = running.logger.ours().map((l) => `${l.level} ${l.message}`);
      const ms = String.raw`[\d.]+ ms`;
      expect(ours).toEqual(
        [
          String.raw`debug Task "okTask" of POST /ok started \(attempt 1 of 1\)`,
          String.raw`debug Task "okTask" of POST /ok succeeded in ${ms} \(attempt 1 of 1\)`,
          String.raw`debug Task "flaky" of POST /flaky started \(attempt 1 of 2\)`,
          String.raw`warn Task "flaky" of POST /flaky failed on attempt 1 of 2 \(${ms} in all\), retrying in 1 ms: first attempt fails`,
          String.raw`debug Task "flaky" of POST /flaky started \(attempt 2 of 2\)`,
          String.raw`debug Task "flaky" of POST /flaky succeeded in ${ms} \(attempt 2 of 2\)`,
          String.raw`debug Task "failTask" of POST /fail started \(attempt 1 of 1\)`,
          String.raw`error Task "failTask" of POST /fail failed after 1 attempt in ${ms}: cannot reach the mail server \(18\)`,
          String.raw`debug Task "slow" of POST /slow started \(attempt 1 of 1\)`,
          String.raw`error Task "slow" of POST /slow timed out after 20 ms \(attempt 1 of 1, ${ms} in all\)`,
        ].map((pattern) => expect.stringMatching(new RegExp(`^${pattern}$`))),
      );
      expect(JSON.stringify(running.logger.lines)).not.toContain(SECRET);
    });

    it('logLevels tunes each line, and false leaves it out', async () => {
      await start({ logLevels: { started: false, succeeded: 'log', failed: 'warn' } });
      await call('/ok');
      await call('/fail');
      expect(running.logger.ours().map((l) => [l.level, l.message.split(' in ')[0]])).toEqual([
        ['log', 'Task "okTask" of POST /ok succeeded'],
        ['warn', 'Task "failTask" of POST /fail failed after 1 attempt'],
      ]);
    });

    it('rejects an unknown line or level at startup', async () => {
      await expect(startApp(ObserveAppModule.with({ logLevels: { begun: 'debug' } as never }), adapter)).rejects.toThrow(
        'BackgroundTasksModule option "logLevels" has no line "begun"',
      );
      await expect(startApp(ObserveAppModule.with({ logLevels: { started: 'loud' } as never }), adapter)).rejects.toThrow(
        'BackgroundTasksModule option "logLevels.started" must be a log level',
      );
      running = undefined as never;
    });
  });

  describe('hooks', () => {
    it('onTaskStart, onTaskEnd (every outcome) and onDrain get typed info without arguments', async () => {
      const starts: TaskInfo[] = [];
      const ends: TaskEndInfo[] = [];
      const drains: DrainInfo[] = [];
      await start({
        onTaskStart: (info) => void starts.push(info),
        onTaskEnd: (info) => void ends.push(info),
        onDrain: (info) => void drains.push(info),
      });
      await call('/ok');
      await call('/flaky');
      await call('/fail');
      await call('/throws');
      await call('/cancel');
      expect(starts.map((s) => [s.name, s.attempt, s.maxAttempts])).toEqual([
        ['okTask', 1, 1],
        ['flaky', 1, 2],
        ['flaky', 2, 2],
        ['failTask', 1, 1],
      ]);
      expect(starts[0].request).toEqual({ method: 'POST', route: '/ok' });
      expect(ends.map((e) => [e.name, e.outcome, e.attempt])).toEqual([
        ['okTask', 'succeeded', 1],
        ['flaky', 'succeeded', 2],
        ['failTask', 'failed', 1],
        ['droppedTask', 'dropped', 0],
        ['reminder', 'cancelled', 0],
      ]);
      expect(ends[0].durationMs).toBeGreaterThan(0);
      expect(ends[3].durationMs).toBe(0);
      expect((ends[2].error as Error).message).toBe('cannot reach the mail server (18)');
      expect(JSON.stringify([starts, ends])).not.toContain(SECRET);

      await send(`${running.url}/gated/drain`, 'POST');
      await probe.seen('gated-started');
      const closing = running.app.close();
      await running.logger.waitFor((l) => l.message.startsWith('Shutting down'));
      probe.gate('drain').open();
      await closing;
      expect(drains).toEqual([{ outcome: 'drained', outstandingAtStart: 1, abandoned: 0, durationMs: expect.any(Number) }]);
    });

    it('onDrain reports the tasks abandoned at the deadline', async () => {
      const drains: DrainInfo[] = [];
      await start({ drainTimeout: 20, onDrain: (info) => void drains.push(info) });
      await send(`${running.url}/gated/never`, 'POST');
      await probe.seen('gated-started');
      await running.app.close();
      expect(drains).toEqual([{ outcome: 'deadline', outstandingAtStart: 1, abandoned: 1, durationMs: expect.any(Number) }]);
    });

    it('a hook that throws or rejects is logged by name and changes nothing else', async () => {
      await start({
        onTaskStart: () => {
          throw new Error('start hook broke');
        },
        onTaskEnd: () => Promise.reject(new Error('end hook broke')),
        onDrain: () => {
          throw new Error('drain hook broke');
        },
      });
      await call('/ok');
      expect(probe.count('ok')).toBe(1);
      await running.logger.waitFor((l) => l.message.includes('end hook broke'));
      await running.app.close();
      expect(running.logger.ours('error').map((l) => l.message)).toEqual([
        'The onTaskStart hook threw for task "okTask": start hook broke',
        'The onTaskEnd hook threw for task "okTask": end hook broke',
        'The onDrain hook threw: drain hook broke',
      ]);
    });

    it.each([
      [{ onTaskEnd: 'log' }, 'BackgroundTasksModule option "onTaskEnd" must be a function, but received a string.'],
      [{ onDrain: 1 }, 'BackgroundTasksModule option "onDrain" must be a function, but received a number (1).'],
      [{ metrics: 'yes' }, 'BackgroundTasksModule option "metrics" must be a boolean, but received a string.'],
      [{ tracing: 1 }, 'BackgroundTasksModule option "tracing" must be a boolean, but received a number (1).'],
      [{ testMode: 'fake' }, `BackgroundTasksModule option "testMode" must be 'background' | 'inline' | 'record', but received a string.`],
    ])('options are checked at startup: %j', async (options, message) => {
      await expect(startApp(ObserveAppModule.with(options as never), adapter)).rejects.toThrow(message);
      running = undefined as never;
    });
  });

  describe('metrics', () => {
    it('counts every outcome, keeps running and queued gauges, and a duration histogram', async () => {
      await start({ metrics: true, maxConcurrent: 1 });
      await call('/ok');
      await call('/flaky');
      await call('/fail');
      await call('/slow');
      await call('/throws');
      await call('/cancel');
      await send(`${running.url}/gated/a`, 'POST');
      await send(`${running.url}/gated/b`, 'POST');
      await probe.seen('gated-started');
      const metrics = running.app.get(BackgroundTasksMetrics);
      // One slot in the process: one gated task runs, the other waits for the slot.
      expect([metrics.running, metrics.queued]).toEqual([1, 1]);
      const live = JSON.parse((await send(`${running.url}/metrics`, 'GET')).body) as BackgroundTasksMetricsSnapshot;
      expect(live.gauges).toEqual({ running: 1, queued: 1, draining: false });
      expect(live.counters).toEqual({
        added: 8,
        succeeded: 2,
        failed: 1,
        timedOut: 1,
        cancelled: 1,
        dropped: 1,
        abandoned: 0,
        enqueued: 0,
        retries: 1,
      });
      expect(live.duration.count).toBe(4);
      expect(live.duration.buckets.at(-1)).toEqual({ le: null, count: 4 }); // Infinity in JSON
      expect(metrics.snapshot().duration.buckets.at(-1)?.le).toBe(Infinity);
      const le25 = live.duration.buckets.find((b) => b.le === 25);
      // The timed-out task took its 20 ms timeout at least: it cannot be in the buckets below 25 ms.
      expect(live.duration.buckets.find((b) => b.le === 10)?.count).toBeLessThanOrEqual(3);
      expect(le25?.count).toBeLessThanOrEqual(4);

      const closing = running.app.close();
      await running.logger.waitFor((l) => l.message.startsWith('Shutting down'));
      expect(metrics.snapshot().gauges.draining).toBe(true);
      probe.gate('a').open();
      probe.gate('b').open();
      await closing;
      const after = metrics.snapshot();
      expect(after.counters.succeeded).toBe(4);
      expect(after.gauges).toEqual({ running: 0, queued: 0, draining: false });
      const { added, succeeded, failed, timedOut, cancelled, dropped, abandoned } = after.counters;
      expect(succeeded + failed + timedOut + cancelled + dropped + abandoned).toBe(added);
    });

    it('without metrics: true, counters stay at 0 (said once in the log) and the gauges still work', async () => {
      await start();
      await call('/ok');
      const metrics = running.app.get(BackgroundTasksMetrics);
      const snapshot = metrics.snapshot();
      metrics.snapshot();
      expect(snapshot.enabled).toBe(false);
      expect(snapshot.counters.added).toBe(0);
      expect(snapshot.duration.count).toBe(0);
      expect(running.logger.ours('warn').map((l) => l.message)).toEqual([
        'BackgroundTasksMetrics: counters stay at 0 unless BackgroundTasksModule.forRoot({ metrics: true }); gauges are live.',
      ]);
    });
  });

  describe('health indicator with @nestjs/terminus', () => {
    it('is up when idle, down when the queue reaches the threshold, down while draining', async () => {
      await start({ maxConcurrent: 1 });
      const up = await send(`${running.url}/health/10`, 'GET');
      expect(up.status).toBe(200);
      expect(JSON.parse(up.body).details.backgroundTasks).toEqual({ status: 'up', running: 0, queued: 0, draining: false });

      await send(`${running.url}/gated/h1`, 'POST');
      await send(`${running.url}/gated/h2`, 'POST');
      await probe.seen('gated-started');
      const full = await send(`${running.url}/health/1`, 'GET');
      expect(full.status).toBe(503);
      expect(JSON.parse(full.body).error.backgroundTasks).toEqual({
        status: 'down',
        running: 1,
        queued: 1,
        draining: false,
        message: '1 tasks waiting (threshold 1)',
      });
      expect((await send(`${running.url}/health/2`, 'GET')).status).toBe(200);
      expect(() => running.app.get(BackgroundTasksHealthIndicator).isHealthy('x', { maxQueued: Number.NaN })).toThrow(
        'BackgroundTasksHealthIndicator.isHealthy(): maxQueued must be a number >= 0, but received NaN.',
      );

      const closing = running.app.close();
      await running.logger.waitFor((l) => l.message.startsWith('Shutting down'));
      // The server still answers during the first drain pass: readiness must fail now.
      const draining = await send(`${running.url}/health/100`, 'GET');
      expect(draining.status).toBe(503);
      expect(JSON.parse(draining.body).details.backgroundTasks).toMatchObject({ status: 'down', draining: true, message: 'draining for shutdown' });
      probe.gate('h1').open();
      probe.gate('h2').open();
      await closing;
    });
  });

  describe('OpenTelemetry (SDK with the in-memory exporter)', () => {
    beforeAll(() => {
      context.setGlobalContextManager(contextManager.enable());
      trace.setGlobalTracerProvider(provider);
    });
    afterAll(() => {
      trace.disable();
      context.disable();
    });
    beforeEach(() => exporter.reset());

    const spansNamed = (prefix: string) => exporter.getFinishedSpans().filter((s) => s.name.startsWith(prefix));
    const requestSpan = (path: string) => exporter.getFinishedSpans().find((s) => s.name === `POST ${path}`) as ReadableSpan;

    it('each task runs in its own span, linked to the request span, with name, outcome, attempt and duration', async () => {
      await start();
      await call('/traced');
      const [task] = spansNamed('background-task');
      expect(task.name).toBe('background-task tracedTask');
      expect(task.attributes).toMatchObject({
        'background_task.id': expect.stringMatching(/^[0-9a-f]{10}-[0-9a-z]+$/),
        'background_task.name': 'tracedTask',
        'background_task.outcome': 'succeeded',
        'background_task.attempt': 1,
        'background_task.max_attempts': 1,
        'http.request.method': 'POST',
        'http.route': '/traced',
      });
      expect(task.attributes['background_task.duration_ms']).toEqual(expect.any(Number));
      // A trace of its own, linked to the request's span.
      const req = requestSpan('/traced');
      expect(task.parentSpanContext).toBeUndefined();
      expect(task.spanContext().traceId).not.toBe(req.spanContext().traceId);
      expect(task.links.map((l) => l.context.spanId)).toEqual([req.spanContext().spanId]);
      // The task's own spans are children of the task's span.
      const [child] = spansNamed('send-email');
      expect(child.parentSpanContext?.spanId).toBe(task.spanContext().spanId);
      expect(child.spanContext().traceId).toBe(task.spanContext().traceId);
    });

    it('failures, timeouts and retries show on the span', async () => {
      await start();
      await call('/fail');
      await call('/slow');
      await call('/flaky');
      const [fail, slow, flaky] = spansNamed('background-task');
      expect(fail.status).toEqual({ code: SpanStatusCode.ERROR, message: 'cannot reach the mail server (18)' });
      expect(fail.events.map((e) => e.name)).toEqual(['exception']);
      expect(slow.attributes['background_task.outcome']).toBe('timed-out');
      expect(slow.status.code).toBe(SpanStatusCode.ERROR);
      expect(flaky.attributes).toMatchObject({ 'background_task.outcome': 'succeeded', 'background_task.attempt': 2 });
      expect(flaky.events.map((e) => [e.name, e.attributes])).toEqual([['retry', { 'background_task.attempt': 2 }]]);
      expect(flaky.status.code).toBe(SpanStatusCode.UNSET);
      expect(JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes))).not.toContain(SECRET);
    });

    it('tracing: false makes no spans; tasks that never start make none either', async () => {
      await start({ tracing: false });
      await call('/traced');
      await call('/throws');
      expect(spansNamed('background-task')).toEqual([]);
      expect(probe.count('traced')).toBe(1);
    });
  });

  it('tracing stays off by default when no tracer provider is registered', async () => {
    exporter.reset();
    await start();
    await call('/traced');
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(probe.count('traced')).toBe(1);
  });
});
