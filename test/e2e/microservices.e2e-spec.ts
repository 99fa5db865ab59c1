import { firstValueFrom, lastValueFrom, tap, toArray } from 'rxjs';
import { RpcAppModule } from '../fixtures/rpc-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { startMicroservice, type RunningMicroservice } from '../support/microservice.js';
import { watchProcessErrors } from '../support/process-errors.js';
import { expectNoContextIds } from '../support/context-ids.js';

describe.each([
  ['the global interceptor', true],
  ['@UseInterceptors(BackgroundTasksInterceptor) instead of the global one', false],
])('BackgroundTasks in a TCP microservice, with %s', (_label, globalInterceptor) => {
  const processErrors = watchProcessErrors().errors;
  let running: RunningMicroservice;
  let probe: TaskProbe;

  beforeEach(async () => {
    running = await startMicroservice(RpcAppModule.with(globalInterceptor));
    probe = running.app.get(TaskProbe);
  });
  afterEach(async () => {
    await running.close();
    expect(processErrors).toEqual([]);
  });

  it('@MessagePattern: the task starts after the reply has been written to the socket', async () => {
    expect(await firstValueFrom(running.client.send('sum', [1, 2, 3]))).toBe(6);
    await probe.seen('sum-task');
    expect(probe.events[0].data).toEqual({ repliedAtStart: true });
  });

  it('@MessagePattern returning a stream: the task waits for the end of the stream and its last reply', async () => {
    const values: string[] = [];
    let onFirst!: () => void;
    const first = new Promise<void>((resolve) => (onFirst = resolve));
    const all = lastValueFrom(
      running.client.send<string>('stream', {}).pipe(
        tap((value) => {
          values.push(value);
          onFirst();
        }),
        toArray(),
      ),
    );
    await first;
    expect(probe.count('stream-task')).toBe(0);
    probe.gate('rpc-stream').open();
    expect(await all).toEqual(['first', 'last']);
    await probe.seen('stream-task');
    expect(probe.events.map((e) => e.data)).toEqual([{ repliedAtStart: true }]);
  });

  it('@EventPattern: the task runs after the handler has completed', async () => {
    running.client.emit('audit', 'login');
    await probe.seen('audit-handler-waiting');
    await new Promise((resolve) => setImmediate(resolve));
    expect(probe.count('audit-task')).toBe(0);
    probe.gate('audit-handler').open();
    await probe.seen('audit-task');
    expect(probe.events.slice(-2)).toEqual([{ name: 'audit-handler-done' }, { name: 'audit-task', data: 'login' }]);
  });

  it('one instance per message, REQUEST is the message, and 40 concurrent messages never share or swap tasks', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const replies = await Promise.all(
      ids.map((id) => firstValueFrom(running.client.send<{ id: string; instance: number; requestData: string; requestPattern: string }>('who', id))),
    );
    expect(new Set(replies.map((reply) => reply.instance)).size).toBe(40);
    for (const reply of replies) {
      expect(reply.requestData).toBe(reply.id);
      expect(reply.requestPattern).toBe('who');
    }
    await probe.until((p) => p.count('who-task') === 40 && p.count('who-task-2') === 40);
    for (const name of ['who-task', 'who-task-2']) {
      const seen = probe.events.filter((e) => e.name === name).map((e) => e.data as string);
      expect([...seen].sort()).toEqual([...ids].sort());
    }
  });

  it('drops the tasks when the handler throws, and says so at debug level', async () => {
    await expect(firstValueFrom(running.client.send('fail', {}))).rejects.toMatchObject({ message: 'failed on purpose' });
    const line = await running.logger.waitFor((l) => l.context === 'BackgroundTasks' && l.message.startsWith('Dropped'));
    expect(line.level).toBe('debug');
    expect(line.message).toContain('Dropped 1 task(s) of RPC fail');
    expect(probe.count('should-not-run')).toBe(0);
  });

  it('a guard has no reply to wait for: its task runs at once, even when it rejects', async () => {
    await expect(firstValueFrom(running.client.send('guarded', {}))).rejects.toBeDefined();
    await probe.seen('guard-task');
  });

  it('app.close() waits for a message\'s running task', async () => {
    expect(await firstValueFrom(running.client.send('slow', {}))).toBe('ok');
    await probe.seen('slow-started');
    await running.client.close();
    const closing = running.app.close().then(() => probe.record('closed'));
    await running.logger.waitFor((line) => line.message.startsWith('Shutting down: waiting up to 30000 ms for 1'));
    // A negative cannot be awaited: give a close that does not wait the time to finish (100 ms).
    const early = await Promise.race([closing.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 100, 'waiting'))]);
    expect(early).toBe('waiting');
    probe.gate('rpc-slow').open();
    await closing;
    expect(probe.names()).toEqual(['slow-started', 'slow-finished', 'closed']);
  });

  it('handlers that never inject BackgroundTasks stay static and free of context ids', async () => {
    await expectNoContextIds(async () => {
      const first = await firstValueFrom(running.client.send<{ constructions: number }>('ping', {}));
      const second = await firstValueFrom(running.client.send<{ constructions: number }>('ping', {}));
      expect(second.constructions).toBe(first.constructions);
    });
  });
});
