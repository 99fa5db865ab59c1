import { REQUEST_SCOPED } from '../support/request-scope-mode.js';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TaskProbe } from '../fixtures/task-probe.js';
import { WsAppModule } from '../fixtures/ws-app.module.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { connectClient, useWsAdapter, WS_FLAVOURS, type WsTestClient } from '../support/ws-clients.js';
import { watchProcessErrors } from '../support/process-errors.js';

type Done = { id: string; instance: number };

// Each flavour with the global interceptor, and with `@UseInterceptors(BackgroundTasksInterceptor)` instead.
const CASES = WS_FLAVOURS.flatMap((flavour) => [
  [flavour, 'global interceptor'] as const,
  [flavour, 'interceptor on the gateway'] as const,
]);

describe.each(CASES)('BackgroundTasks in a WebSocket gateway (%s, %s)', (flavour, hook) => {
  const processErrors = watchProcessErrors().errors;
  let app: INestApplication;
  let url: string;
  let logger: CaptureLogger;
  let probe: TaskProbe;
  const clients: WsTestClient[] = [];

  const connect = async () => {
    const client = await connectClient(flavour, url);
    clients.push(client);
    return client;
  };
  /** The events of one message, in the order they happened. */
  const story = (id: string) => probe.events.filter((e) => e.data === id).map((e) => e.name);

  beforeEach(async () => {
    logger = new CaptureLogger();
    app = await NestFactory.create(WsAppModule.with(hook === 'global interceptor'), { logger, abortOnError: false });
    useWsAdapter(app, flavour);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    probe = app.get(TaskProbe);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await app.close();
    expect(processErrors).toEqual([]);
  });

  it('Nest 12 builds one gateway instance per connection, shared by its messages', async () => {
    const a = await connect();
    const b = await connect();
    a.send('work', { id: 'a1' });
    const a1 = await a.reply<Done>('done', 'a1');
    a.send('work', { id: 'a2' });
    const a2 = await a.reply<Done>('done', 'a2');
    b.send('work', { id: 'b1' });
    const b1 = await b.reply<Done>('done', 'b1');
    expect(a2.instance).toBe(a1.instance);
    // Under requestScoped: false the gateway is one singleton for every connection.
    if (REQUEST_SCOPED) expect(b1.instance).not.toBe(a1.instance);
    else expect(b1.instance).toBe(a1.instance);
  });

  it('runs a message\'s tasks after its reply has been handed to the socket, in order', async () => {
    const client = await connect();
    client.send('work', { id: 'm1' });
    await client.reply('done', 'm1');
    await probe.seen('task-2');
    expect(story('m1')).toEqual(['reply', 'task', 'unless-gone', 'task-2']);
  });

  it('two messages in flight on one connection: each flushes its own tasks after its own reply', async () => {
    const client = await connect();
    client.send('work', { id: 'slow', wait: true });
    await probe.seen('waiting');
    client.send('work', { id: 'fast' });
    await client.reply('done', 'fast');
    await probe.until(() => story('fast').length === 4);
    // The slow message has added a task too, on the same instance: it must still be waiting.
    expect(story('fast')).toEqual(['reply', 'task', 'unless-gone', 'task-2']);
    expect(story('slow')).toEqual(['waiting']);
    probe.gate('ws-slow').open();
    await client.reply('done', 'slow');
    await probe.until(() => story('slow').length === 5);
    expect(story('slow')).toEqual(['waiting', 'reply', 'task', 'unless-gone', 'task-2']);
  });

  it('a task sees the AsyncLocalStorage stores of the message that added it, with messages interleaved', async () => {
    const client = await connect();
    client.send('work', { id: 't1', tenant: 'acme', wait: true });
    await probe.seen('waiting');
    client.send('work', { id: 't2', tenant: 'globex' });
    await client.reply('done', 't2');
    probe.gate('ws-t1').open();
    await client.reply('done', 't1');
    await probe.seen('tenant-seen', 2);
    expect(probe.events.filter((e) => e.name === 'tenant-seen').map((e) => e.data)).toEqual(['t2:globex', 't1:acme']);
  });

  it('never mixes tasks between messages or connections (3 connections x 10 concurrent messages)', async () => {
    const connections = await Promise.all([connect(), connect(), connect()]);
    const ids = connections.flatMap((client, c) => Array.from({ length: 10 }, (_, m) => ({ client, id: `c${c}m${m}` })));
    for (const { client, id } of ids) client.send('work', { id });
    const replies = await Promise.all(ids.map(({ client, id }) => client.reply<Done>('done', id)));
    await probe.until((p) => p.count('task-2') === ids.length);
    for (const { id } of ids) expect(story(id)).toEqual(['reply', 'task', 'unless-gone', 'task-2']);
    // One instance per connection.
    const byConnection = connections.map((_, c) => new Set(replies.filter((r) => r.id.startsWith(`c${c}`)).map((r) => r.instance)));
    expect(byConnection.map((set) => set.size)).toEqual([1, 1, 1]);
  });

  it('drops a message\'s tasks when its handler throws, and says so at debug level', async () => {
    const client = await connect();
    client.send('fail', { id: 'f1' });
    await client.nextException();
    const line = await logger.waitFor((l) => l.context === 'BackgroundTasks' && l.message.startsWith('Dropped'));
    expect(line.level).toBe('debug');
    expect(line.message).toBe(
      "Dropped 1 task(s) of WS fail: the handler threw (runOn 'success')",
    );
    expect(probe.count('should-not-run')).toBe(0);
  });

  it('the client disconnects mid-message: tasks run by the abort policy, those added after the disconnect too', async () => {
    const client = await connect();
    client.send('work', { id: 'gone', wait: true });
    await probe.seen('waiting');
    await client.close();
    await probe.seen('task');
    const line = await logger.waitFor((l) => l.message.startsWith('Dropped'));
    expect(line.message).toBe("Dropped 1 task(s) of WS work: the client went away (onClientAbort 'drop')");
    probe.gate('ws-gone').open();
    await probe.seen('task-2');
    expect(story('gone')).toEqual(['waiting', 'task', 'task-2']);
  });

  it('a guard runs before the message is open: its task runs at once, even when it rejects', async () => {
    const client = await connect();
    client.send('guarded', { id: 'g1' });
    await client.nextException();
    await probe.seen('guard-task');
  });

  it('a task added outside any message (handleConnection) has no reply to wait for: it runs at once', async () => {
    await connect();
    await probe.seen('connection-task');
  });
});
