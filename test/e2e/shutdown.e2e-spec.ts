import { CoreAppModule } from '../fixtures/core-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp } from '../support/app.js';
import { send } from '../support/http.js';

describe.each(ADAPTERS)('graceful shutdown on %s', (adapter) => {
  it('app.close() waits for running and pending tasks, before the app\'s own shutdown hooks run', async () => {
    const { app, url, logger } = await startApp(CoreAppModule.with(), adapter);
    const probe = app.get(TaskProbe);
    probe.recordShutdown = true;
    await send(`${url}/slow/a`, 'POST');
    await probe.seen('slow-started');

    const closing = app.close().then(() => probe.record('closed'));
    await logger.waitFor((line) => line.message.startsWith('Shutting down: waiting up to 30000 ms for 2'));
    // Give a shutdown that did not wait the time to run the app's hooks (cannot make the right one flaky).
    setTimeout(() => probe.gate('a').open(), 50);
    await closing;

    expect(probe.names()).toEqual(['slow-started', 'slow-finished', 'after-slow', 'app-shutdown-hook', 'closed']);
    expect(logger.ours('error')).toEqual([]);
  });

  it('waits for tasks that requests still in flight add while the server closes', async () => {
    const { app, url, logger } = await startApp(CoreAppModule.with(), adapter);
    const probe = app.get(TaskProbe);
    const inFlight = send(`${url}/in-flight`, 'POST');
    await probe.seen('in-flight-handler');

    // Let the handler finish exactly when Nest closes the server: after the first drain pass.
    const server = app.getHttpServer();
    const close = server.close.bind(server);
    server.close = (callback?: (error?: Error) => void) => {
      probe.gate('in-flight').open();
      return close(callback);
    };
    const closing = app.close().then(() => probe.record('closed'));
    expect((await inFlight).status).toBe(201);
    await closing;

    expect(probe.names()).toEqual(['in-flight-handler', 'added-while-closing', 'closed']);
    expect(logger.ours('error')).toEqual([]);
  });

  it('at the drain deadline, logs each abandoned task by name and returns; pending ones never start', async () => {
    const { app, url, logger } = await startApp(CoreAppModule.with({ drainTimeout: 100 }), adapter);
    const probe = app.get(TaskProbe);
    await send(`${url}/slow/b`, 'POST');
    await probe.seen('slow-started');

    await app.close();

    expect(logger.ours('error').map((line) => line.message)).toEqual([
      'Task "slowTask" of POST /slow/:key abandoned at the drain deadline while running',
      'Task "afterSlow" of POST /slow/:key abandoned at the drain deadline before it started',
    ]);
    // The abandoned task may still finish on its own; what was pending must not start.
    probe.gate('b').open();
    await probe.seen('slow-finished');
    await new Promise((resolve) => setImmediate(resolve));
    expect(probe.count('after-slow')).toBe(0);
  });

  it('reports, and does not run, a task added after shutdown', async () => {
    const { app, url, logger } = await startApp(CoreAppModule.with(), adapter);
    const probe = app.get(TaskProbe);
    await send(`${url}/late`, 'POST');
    await probe.seen('early');
    await app.close();
    probe.gate('add-late').open();
    const line = await logger.waitFor((l) => l.message.includes('after the application shut down'));
    expect(line.message).toBe('Task "lateTask" of POST /late was added after the application shut down and will not run');
    expect(probe.count('late')).toBe(0);
  });
});
