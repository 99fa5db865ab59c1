import { HttpExtrasAppModule } from '../fixtures/http-extras-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { openStream, send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';

describe.each(ADAPTERS)('SSE, middleware, guards and pipes on %s', (adapter) => {
  const processErrors = watchProcessErrors().errors;
  let running: RunningApp;
  let probe: TaskProbe;

  beforeEach(async () => {
    running = await startApp(HttpExtrasAppModule.with(), adapter);
    probe = running.app.get(TaskProbe);
  });
  afterEach(async () => {
    await running.app.close();
    expect(processErrors).toEqual([]);
  });

  describe('@Sse()', () => {
    it('runs the tasks once the stream has completed and the response has ended', async () => {
      const stream = openStream(`${running.url}/sse/done`);
      expect(await stream.received('data: first')).toBe(true);
      // The stream is open (waiting on the gate): its task must not have started.
      await new Promise((resolve) => setImmediate(resolve));
      expect(probe.count('sse-task-done')).toBe(0);
      probe.gate('sse-done').open();
      expect(await stream.body).toContain('data: last');
      await probe.seen('sse-unless-aborted-done');
      expect(probe.names()).toEqual(['sse-teardown-done', 'sse-task-done', 'sse-unless-aborted-done']);
      expect(probe.events.find((e) => e.name === 'sse-task-done')?.data).toEqual({ sentAtStart: true });
    });

    it('the client disconnects mid-stream: after Nest tore the stream down, tasks run by the abort policy', async () => {
      const stream = openStream(`${running.url}/sse/cut`);
      await stream.received('data: first');
      stream.abort();
      await probe.seen('sse-task-cut');
      // Default policy (run) for the first task; the one added with onClientAbort 'drop' is dropped.
      const line = await running.logger.waitFor((l) => l.message.startsWith('Dropped'));
      expect(line.message).toBe("Dropped 1 task(s) of GET /sse/:key: the client went away (onClientAbort 'drop')");
      expect(probe.names()).toEqual(['sse-teardown-cut', 'sse-task-cut']);
    });
  });

  describe('tasks added before the handler', () => {
    it('a middleware\'s task runs after the response, in the request\'s batch', async () => {
      const res = await send(`${running.url}/enhanced/middleware/ok`);
      expect(res.status).toBe(200);
      await probe.seen('middleware-task');
      expect(probe.events[0].data).toEqual({ sentAtStart: true });
    });

    it('a middleware\'s task is dropped, like the handler\'s, when the handler throws', async () => {
      const res = await send(`${running.url}/enhanced/middleware/throw`);
      expect(res.status).toBe(400);
      const line = await running.logger.waitFor((l) => l.message.startsWith('Dropped'));
      expect(line.message).toContain('Dropped 1 task(s) of GET');
      expect(probe.count('middleware-task')).toBe(0);
    });

    it('a guard that lets the request through: its task runs after the response, before the handler\'s', async () => {
      const res = await send(`${running.url}/enhanced/guard/allow`, 'POST');
      expect(res.status).toBe(201);
      await probe.seen('guarded-handler-task');
      expect(probe.names()).toEqual(['guard-task', 'guarded-handler-task']);
      expect(probe.events[0].data).toEqual({ sentAtStart: true });
    });

    it('a guard that rejects: no interceptor runs, the 403 status drops its task, with a debug line', async () => {
      const res = await send(`${running.url}/enhanced/guard/deny`, 'POST');
      expect(res.status).toBe(403);
      const line = await running.logger.waitFor((l) => l.message.startsWith('Dropped'));
      expect(line.level).toBe('debug');
      expect(line.message).toContain('Dropped 1 task(s) of POST');
      expect(probe.count('guard-task')).toBe(0);
    });

    it('a pipe runs inside the interceptor: its task runs when it accepts, and is dropped when it throws', async () => {
      expect((await send(`${running.url}/enhanced/pipe/good`, 'POST')).status).toBe(201);
      await probe.seen('pipe-task');
      expect((await send(`${running.url}/enhanced/pipe/bad`, 'POST')).status).toBe(400);
      const line = await running.logger.waitFor((l) => l.message.startsWith('Dropped'));
      expect(line.message).toContain('Dropped 1 task(s) of POST');
      expect(probe.count('pipe-task')).toBe(1);
    });
  });
});
