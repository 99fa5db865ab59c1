import { Logger } from '@nestjs/common';
import type { TaskEndInfo } from '../../lib/index.js';
import { ContextTaskBatch } from '../../lib/request/context-task-batch.js';
import { TaskRunner } from '../../lib/runner/task-runner.js';
import { ScheduledTask } from '../../lib/core/scheduled-task.js';
import { resolveTaskDefaults } from '../../lib/core/task-options.resolver.js';
import { describeRequest } from '../../lib/core/describe-request.js';
import { quoteName } from '../../lib/core/quote-name.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { createGate } from '../support/gate.js';
import { plainTask as task } from '../support/plain-task.js';
import { watchProcessErrors } from '../support/process-errors.js';

/** Errors and values a careless or hostile task may throw, return or carry: none may crash or stall. */
function symbolMessageError(): Error {
  const error = new Error('x');
  Object.defineProperty(error, 'message', { value: Symbol('secret') });
  return error;
}
function throwingMessageError(): Error {
  const error = new Error('x');
  Object.defineProperty(error, 'message', {
    get() {
      throw new Error('no message for you');
    },
  });
  return error;
}
function unreadableProxy(): unknown {
  return new Proxy(
    {},
    {
      getPrototypeOf() {
        throw new Error('no prototype for you');
      },
    },
  );
}
function throwingThen(): unknown {
  return Object.defineProperty({}, 'then', {
    get() {
      throw new Error('then getter');
    },
  });
}
/** A task whose function's `name` is not a string, or whose `name` getter throws. */
function badlyNamed(kind: 'symbol' | 'getter', fn: () => unknown): ScheduledTask {
  const name = kind === 'symbol' ? { value: Symbol('name') } : { get: () => { throw new Error('name'); } };
  Object.defineProperty(fn, 'name', { ...name, configurable: true });
  return new ScheduledTask(fn, [], undefined, resolveTaskDefaults(undefined), false, false);
}

describe('hostile values never crash the process, lose a task or leak a slot', () => {
  const processErrors = watchProcessErrors();
  let logger: CaptureLogger;
  beforeEach(() => {
    logger = new CaptureLogger();
    Logger.overrideLogger(logger);
  });
  afterEach(() => {
    Logger.overrideLogger(false);
    expect(processErrors.errors).toEqual([]);
  });

  const throwers: [string, () => unknown][] = [
    ['a Symbol message', symbolMessageError],
    ['a message getter that throws', throwingMessageError],
    ['a Proxy whose prototype cannot be read', unreadableProxy],
  ];

  it.each(throwers)('a task that throws or rejects with %s fails, logged, and the next task runs', async (_, make) => {
    const ended: TaskEndInfo[] = [];
    const runner = new TaskRunner({ onTaskEnd: (info) => void ended.push(info), onTaskError: () => undefined });
    const batch = new ContextTaskBatch(runner, undefined);
    const done = createGate();
    batch.add(task('sync', () => {
      throw make();
    }));
    batch.add(task('async', () => Promise.reject(make())));
    batch.add(task('after', () => done.open()));
    await done.promise;
    await runner.whenIdle('all', Date.now() + 1000);
    expect(ended.map(({ name, outcome }) => [name, outcome])).toEqual([
      ['sync', 'failed'],
      ['async', 'failed'],
      ['after', 'succeeded'],
    ]);
    expect(runner.queued).toBe(0);
    expect(logger.ours('error')).toHaveLength(2);
  });

  it('a task returning an object whose then getter throws fails and frees its slot (maxConcurrent: 2)', async () => {
    const ended: string[] = [];
    const runner = new TaskRunner({ maxConcurrent: 2, onTaskEnd: ({ name, outcome }) => void ended.push(`${name}:${outcome}`) });
    const done = createGate();
    for (const name of ['a', 'b', 'c']) new ContextTaskBatch(runner, undefined).add(task(name, throwingThen));
    new ContextTaskBatch(runner, undefined).add(task('later', () => done.open()));
    await done.promise;
    expect(ended).toEqual(['a:failed', 'b:failed', 'c:failed', 'later:succeeded']);
    expect(runner.running).toBe(0);
  });

  it.each(['symbol', 'getter'] as const)('a task function whose name is a %s runs as "anonymous", with hooks and metrics', async (kind) => {
    const ended: string[] = [];
    const runner = new TaskRunner({ onTaskEnd: ({ name, outcome }) => void ended.push(`${name}:${outcome}`) });
    runner.events.onAdd(() => undefined, 'metrics');
    const done = createGate();
    const batch = new ContextTaskBatch(runner, undefined);
    batch.add(badlyNamed(kind, () => done.open()));
    await done.promise;
    expect(ended).toEqual(['anonymous:succeeded']);
    expect(runner.queued).toBe(0);
  });

  it.each(throwers)('a hook that throws or rejects with %s is logged; addTask and close() return', async (_, make) => {
    const runner = new TaskRunner({
      onTaskStart: () => {
        throw make();
      },
      onTaskEnd: () => Promise.reject(make()),
    });
    const done = createGate();
    const batch = new ContextTaskBatch(runner, undefined);
    expect(() => batch.add(task('t', () => done.open()))).not.toThrow();
    await done.promise;
    await runner.whenIdle('all', Date.now() + 1000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(logger.ours('error').map((line) => line.message)).toEqual([
      expect.stringMatching(/^The onTaskStart hook threw for task "t": /),
      expect.stringMatching(/^The onTaskEnd hook threw for task "t": /),
    ]);
    runner.close();
  });

  it('a name or route with newlines or ANSI escapes cannot forge or colour a log line', async () => {
    const runner = new TaskRunner({});
    const done = createGate();
    const batch = new ContextTaskBatch(runner, undefined);
    const forged = 'evil\n[Nest] 1  - LOG [BackgroundTasks] all is fine\u001b[31m\u2028';
    batch.add(task(forged, () => {
      throw new Error('boom');
    }));
    batch.add(task('x'.repeat(5000), () => done.open()));
    await done.promise;
    const [line] = logger.ours('error').map((entry) => entry.message);
    expect(line).toContain('Task "evil\\n[Nest] 1  - LOG [BackgroundTasks] all is fine\\u001b[31m\\u2028" of no request failed');
    expect(line).not.toMatch(/[\n\u001b\u2028]/);
    expect(describeRequest({ method: 'GET', route: '/a\r\nb' })).toBe('GET /a\\r\\nb');
    expect(quoteName('y'.repeat(5000))).toBe(`"${'y'.repeat(200)}... (4800 more)"`);
  });
});
