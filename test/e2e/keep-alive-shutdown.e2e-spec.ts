import { Agent, request as httpRequest } from 'node:http';
import type { TaskEndInfo } from '../../lib/index.js';
import { TaskRunner } from '../../lib/runner/task-runner.js';
import { HardeningAppModule } from '../fixtures/hardening-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp } from '../support/app.js';
import { watchProcessErrors } from '../support/process-errors.js';

interface Answer {
  status: number;
  connection?: string;
}

/** One POST on a keep-alive agent: the status and Connection header, or the error that cut it. */
function post(url: string, agent: Agent): Promise<Answer | Error> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: 'POST', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      res.on('error', (error) => resolve(error));
    });
    req.on('error', (error) => resolve(error));
    req.end();
  });
}

const DRAIN_TIMEOUT = 1_000;

/**
 * Issue 26, item 8: clients that keep their connections alive (and busy) must not hold `app.close()`
 * past the drain deadline, and a request answered 2xx must not have its tasks doomed.
 */
describe.each(ADAPTERS)('shutdown under keep-alive load, on %s', (adapter) => {
  const processErrors = watchProcessErrors().errors;
  afterEach(() => expect(processErrors).toEqual([]));

  it('app.close() returns within drainTimeout + 1500 ms; every request answered 2xx had its task run', async () => {
    const { app, url, logger } = await startApp(HardeningAppModule.with({ drainTimeout: DRAIN_TIMEOUT }), adapter);
    const probe = app.get(TaskProbe);
    const ends: TaskEndInfo[] = [];
    app.get(TaskRunner).events.onEnd((info) => void ends.push(info));
    const agent = new Agent({ keepAlive: true, maxSockets: 6 });
    let closed = false;
    let closeStarted = false;
    const answered: string[] = [];
    const keptAliveWhileClosing: string[] = [];
    let sent = 0;
    // Six clients, each sending its next request on its kept-alive connection as soon as it has an answer.
    const clients = Array.from({ length: 6 }, async () => {
      while (!closed) {
        const key = `k${sent++}`;
        const duringClose = closeStarted;
        const result = await post(`${url}/quick/${key}`, agent);
        if (!('status' in result)) {
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        if (result.status >= 200 && result.status < 300) answered.push(key);
        if (duringClose && result.connection !== 'close') keptAliveWhileClosing.push(key);
      }
    });
    // And one request whose handler is still running when the deadline comes.
    const held = post(`${url}/held/late`, agent);
    await probe.seen('held-handler');
    await probe.seen('quick', 30);

    const startedAt = Date.now();
    closeStarted = true;
    const closing = app.close().then(() => Date.now() - startedAt);
    const bound = new Promise<'too slow'>((resolve) => setTimeout(() => resolve('too slow'), DRAIN_TIMEOUT + 1_500).unref());
    const took = await Promise.race([closing, bound]);
    closed = true;
    probe.gate('held-late').open();
    const heldResult = await held;
    await Promise.all(clients);
    await closing;
    agent.destroy();

    expect(took).toBeLessThan(DRAIN_TIMEOUT + 1_500);
    // Requests sent once the shutdown began were told to close their connection.
    expect(keptAliveWhileClosing).toEqual([]);
    // The held request's connection was cut at the deadline: no answer, so no 2xx with a doomed task.
    expect(heldResult).toHaveProperty('code', 'ECONNRESET');
    await logger.waitFor((line) => line.message.includes('"quickTask" of POST /held/:key was added after'));
    // Every request answered 2xx had its task run: none was abandoned or dropped behind a 2xx.
    const ran = new Set(probe.events.filter((event) => event.name === 'quick').map((event) => event.data));
    expect(answered.filter((key) => !ran.has(key))).toEqual([]);
    expect(ends.filter((end) => end.outcome === 'abandoned')).toEqual([]);
    expect(ends.filter((end) => end.outcome === 'dropped')).toMatchObject([{ request: { route: '/held/:key' }, reason: 'added after shutdown' }]);
  });

  it('a client that keeps reusing its connection does not hold app.close() until the deadline', async () => {
    const { app, url } = await startApp(HardeningAppModule.with({ drainTimeout: 20_000 }), adapter);
    const probe = app.get(TaskProbe);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // Answer the held request only once Nest has begun closing the server, on a connection still busy.
    const server = app.getHttpServer();
    const close = server.close.bind(server);
    server.close = (callback?: (error?: Error) => void) => {
      setImmediate(() => probe.gate('held-first').open());
      return close(callback);
    };
    let closed = false;
    const answers: Answer[] = [];
    const client = (async () => {
      const first = await post(`${url}/held/first`, agent);
      if ('status' in first) answers.push(first);
      // Then one request after another on the same kept-alive connection, as long as it is served.
      for (let n = 0; !closed; n++) {
        const result = await post(`${url}/quick/next-${n}`, agent);
        if (!('status' in result)) break;
        answers.push(result);
      }
    })();
    await probe.seen('held-handler');

    const startedAt = Date.now();
    const closing = app.close().then(() => Date.now() - startedAt);
    const bound = new Promise<'too slow'>((resolve) => setTimeout(() => resolve('too slow'), 5_000).unref());
    const took = await Promise.race([closing, bound]);
    closed = true;
    await closing;
    await client;
    agent.destroy();

    expect(took).toBeLessThan(5_000);
    // Requests answered during the shutdown said Connection: close, so the client let go (Fastify already
    // says so on the held request's answer; Express served one more on the connection).
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(answers.slice(1).every((answer) => answer.connection === 'close')).toBe(true);
    // Fastify answers 503 while it closes; every 2xx answer had its task run.
    expect(probe.count('quick')).toBe(answers.filter((answer) => answer.status < 300).length);
  });

  it('closes idle keep-alive connections at once: app.close() does not wait for the client to hang up', async () => {
    const { app, url } = await startApp(HardeningAppModule.with({ drainTimeout: 20_000 }), adapter);
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    expect(await post(`${url}/quick/idle`, agent)).toMatchObject({ status: 201 });
    const startedAt = Date.now();
    await app.close();
    agent.destroy();
    expect(Date.now() - startedAt).toBeLessThan(1_500);
  });
});
