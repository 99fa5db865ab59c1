import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { threadId } from 'node:worker_threads';
import {
  BackgroundTasks,
  BackgroundTasksMetrics,
  BackgroundTasksModule,
  defineThreadTask,
  ThreadTaskPool,
  type BackgroundTasksModuleOptions,
  type TaskEndInfo,
  type TaskInfo,
} from '../../lib/index.js';
import { resolveOptions } from '../../lib/runner/module-options.resolver.js';
import { BackgroundTasksTester } from '../../lib/testing/index.js';
import { startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';
import { cooperative, fails, flaky, misnamed, record, SAW_TIMEOUT, spin, STARTED, stubborn } from '../fixtures/threads/thread-tasks.mjs';
import { typescriptTask } from '../fixtures/threads/typescript-thread-task.js';

/** What the next `POST /run` does with the request's tasks. */
let scenario: (tasks: BackgroundTasks) => void = () => undefined;

@Controller()
class ThreadsController {
  constructor(private readonly tasks: BackgroundTasks) {}

  @Post('run')
  @HttpCode(202)
  run(): string {
    try {
      scenario(this.tasks);
      return 'added';
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  }

  @Get('ping')
  ping(): string {
    return 'pong';
  }
}

/** Slots of an Int32Array over shared memory, which thread tasks write and the test waits on. */
function sharedFlags(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * 32));
}

type WaitAsync = (array: Int32Array, index: number, value: number) => { async: boolean; value: Promise<string> | string };

/** Resolves once `flags[slot]` is no longer `unlike`: a gate a thread opens, never a sleep. */
async function changed(flags: Int32Array, slot: number, unlike = 0): Promise<number> {
  const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
  while (Atomics.load(flags, slot) === unlike) await waitAsync(flags, slot, unlike).value;
  return Atomics.load(flags, slot);
}

function release(flags: Int32Array, slot: number): void {
  Atomics.store(flags, slot + 1, 1);
}

/** The outcomes and attempt starts the module's hooks report, awaitable by task name. */
class Ledger {
  readonly ends: TaskEndInfo[] = [];
  readonly starts: TaskInfo[] = [];
  private waiters: (() => void)[] = [];

  readonly hooks: BackgroundTasksModuleOptions = {
    onTaskEnd: (info) => this.push(this.ends, info),
    onTaskStart: (info) => this.push(this.starts, info),
  };

  async end(name: string): Promise<TaskEndInfo> {
    await this.until(() => this.ends.some((info) => info.name === name));
    return this.ends.find((info) => info.name === name) as TaskEndInfo;
  }

  async until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private push<T>(list: T[], info: T): void {
    list.push(info);
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }
}

describe('thread tasks (defineThreadTask)', () => {
  const processErrors = watchProcessErrors();
  let running: RunningApp | undefined;
  let ledger: Ledger;

  async function start(options: BackgroundTasksModuleOptions = {}): Promise<RunningApp> {
    ledger = new Ledger();
    @Module({
      imports: [BackgroundTasksModule.forRoot({ ...ledger.hooks, ...options })],
      controllers: [ThreadsController],
    })
    class ThreadsAppModule {}
    running = await startApp(ThreadsAppModule);
    return running;
  }

  async function run(url: string, next: (tasks: BackgroundTasks) => void): Promise<string> {
    scenario = next;
    const response = await send(`${url}/run`, 'POST');
    expect(response.status).toBe(202);
    return response.body;
  }

  afterEach(async () => {
    await running?.app.close();
    running = undefined;
    expect(processErrors.errors).toEqual([]);
  });

  it('runs in a worker thread while the event loop keeps answering other requests', async () => {
    const { url, app } = await start();
    const flags = sharedFlags();
    expect(await run(url, (tasks) => tasks.addTask(spin, flags, 0))).toBe('added');
    expect(await changed(flags, 0)).toBe(STARTED);
    // The task is burning CPU right now, in its thread: the loop still answers.
    const ping = await send(`${url}/ping`);
    expect(ping.body).toBe('pong');
    expect(Atomics.load(flags, 1)).toBe(0);
    expect(Atomics.load(flags, 2)).not.toBe(threadId);
    expect(app.get(ThreadTaskPool).threads).toBeGreaterThanOrEqual(1);
    release(flags, 0);
    expect(await ledger.end('spin')).toMatchObject({ outcome: 'succeeded', attempt: 1 });
  });

  it('checks at addTask that the arguments can be cloned, naming the path and never the value', async () => {
    const { url } = await start();
    const flags = sharedFlags();
    const body = await run(url, (tasks) => tasks.addTask(record, flags, 0, { rows: [1, 2, () => 3] } as never));
    expect(body).toBe(
      'TypeError: BackgroundTasks.addTask(): the arguments of thread task "record" cannot be sent to a worker thread: ' +
        'args[2].rows[2] is a function (functions cannot be sent to a thread; import what the task needs in its own module).',
    );
    const secretKey = await run(url, (tasks) => tasks.with({ name: 'r' }).addTask(record, flags, 0, { 'ada@example.com': Symbol('x') } as never));
    expect(secretKey).toContain('args[2][key 1 of 1] is a symbol');
    expect(secretKey).not.toContain('ada@example.com');
    class Report {}
    const instance = await run(url, (tasks) => tasks.addTask(record, flags, 0, new Report() as never));
    expect(instance).toContain('args[2] is an instance of Report (a thread would receive a plain object');
    expect(ledger.ends).toEqual([]);
  });

  it('times out like any task: the thread of a task that ignores its signal is terminated and replaced', async () => {
    const { url } = await start({ threads: { maxThreads: 1, abortGracePeriod: 50 } });
    const flags = sharedFlags();
    // A warm thread: a cold start on a busy machine could outlast the timeout, and an attempt aborted
    // before it reaches the thread never calls the task.
    await run(url, (tasks) => tasks.addTask(record, flags, 5, 1));
    await ledger.end('record');
    await run(url, (tasks) => tasks.with({ timeout: 200 }).addAbortableTask(stubborn, flags, 0));
    expect(await changed(flags, 0)).toBe(STARTED);
    expect(await ledger.end('stubborn')).toMatchObject({ outcome: 'timed-out' });
    // One thread, still spinning unless terminated: the next thread task runs only in its replacement.
    await run(url, (tasks) => tasks.addTask(record, flags, 4, 42));
    await ledger.until(() => ledger.ends.filter((info) => info.name === 'record').length === 2);
    expect(ledger.ends.filter((info) => info.name === 'record').map((info) => info.outcome)).toEqual(['succeeded', 'succeeded']);
    expect(Atomics.load(flags, 4)).toBe(42);
  });

  it("fires a cooperative thread task's own AbortSignal with the timeout's reason", async () => {
    const { url } = await start({ threads: { maxThreads: 1, abortGracePeriod: 10_000 } });
    const flags = sharedFlags();
    // A warm thread (started, module loaded): a cold start on a busy machine could outlast the timeout,
    // and an attempt aborted before it reaches the thread never calls the task.
    await run(url, (tasks) => tasks.addTask(record, flags, 4, 1));
    await ledger.end('record');
    await run(url, (tasks) => tasks.with({ timeout: 300 }).addAbortableTask(cooperative, flags, 0));
    expect(await ledger.end('cooperative')).toMatchObject({ outcome: 'timed-out' });
    expect(await changed(flags, 1)).toBe(SAW_TIMEOUT);
  });

  it('retries a failing thread task as any task, with its hooks and log lines', async () => {
    const { url, logger } = await start();
    const flags = sharedFlags();
    await run(url, (tasks) => tasks.with({ retries: 2, backoff: { delay: 0 } }).addTask(flaky, flags, 0, 2));
    expect(await ledger.end('flaky')).toMatchObject({ outcome: 'succeeded', attempt: 3, maxAttempts: 3 });
    expect(Atomics.load(flags, 0)).toBe(3);
    expect(ledger.starts.map((info) => info.attempt)).toEqual([1, 2, 3]);
    expect(logger.ours('warn').filter((line) => line.message.includes('"flaky"') && line.message.includes('retrying'))).toHaveLength(2);
  });

  it('counts in the metrics as any task: running while its thread works, then succeeded with a duration', async () => {
    const { url, app } = await start({ metrics: true });
    const metrics = app.get(BackgroundTasksMetrics);
    const flags = sharedFlags();
    await run(url, (tasks) => tasks.addTask(spin, flags, 0));
    await changed(flags, 0);
    expect(metrics.snapshot().gauges.running).toBe(1);
    release(flags, 0);
    await ledger.end('spin');
    const after = metrics.snapshot();
    expect(after.counters).toMatchObject({ added: 1, succeeded: 1, failed: 0 });
    expect(after.gauges.running).toBe(0);
    expect(after.duration.count).toBe(1);
  });

  it("reports a thread's error with its name and code, and never logs the arguments", async () => {
    const { url, logger } = await start();
    await run(url, (tasks) => tasks.addTask(fails, 'SECRET-ARGUMENT'));
    const end = await ledger.end('fails');
    expect(end.outcome).toBe('failed');
    expect(end.error).toMatchObject({ name: 'ThreadError', code: 'E_THREAD', message: 'the thread task failed' });
    const failed = logger.ours('error').find((line) => line.message.includes('"fails"'));
    expect(failed?.message).toContain('failed after 1 attempt');
    expect(JSON.stringify(logger.lines)).not.toContain('SECRET-ARGUMENT');
  });

  it('says which export is missing when the name given to defineThreadTask is mistyped', async () => {
    const { url } = await start();
    await run(url, (tasks) => tasks.addTask(misnamed));
    const end = await ledger.end('misnamedTypo');
    expect(end.outcome).toBe('failed');
    expect((end.error as Error).message).toMatch(
      /^Thread task "misnamedTypo": its module file:\/\/.*\/thread-tasks\.mjs exports nothing under that name\./,
    );
  });

  it('says how to run a TypeScript thread task module when the thread cannot load it', async () => {
    const { url } = await start();
    await run(url, (tasks) => tasks.addTask(typescriptTask, sharedFlags()));
    const end = await ledger.end('typescriptTask');
    expect(end.outcome).toBe('failed');
    const message = (end.error as Error).message;
    expect(message).toMatch(/its module file:\/\/.*typescript-thread-task\.ts could not be loaded in a worker thread/);
    expect(message).toContain('run the compiled output (nest build, tsc), or start Node with a loader that threads inherit (node --import tsx');
  });

  it('keeps to maxThreads: a thread task waits for a free thread', async () => {
    const { url, app } = await start({ threads: { maxThreads: 2 }, concurrency: 3 });
    const flags = sharedFlags();
    await run(url, (tasks) => {
      for (const slot of [0, 4, 8]) tasks.with({ name: `spin-${slot}`, dedupe: false }).addTask(spin, flags, slot);
    });
    await ledger.until(() => ledger.starts.length === 3);
    await changed(flags, 0);
    await changed(flags, 4);
    const pool = app.get(ThreadTaskPool);
    expect(pool.threads).toBe(2);
    expect(pool.queued).toBe(1);
    expect(Atomics.load(flags, 8)).toBe(0);
    release(flags, 0);
    expect(await changed(flags, 8)).toBe(STARTED);
    release(flags, 4);
    release(flags, 8);
    await ledger.until(() => ledger.ends.length === 3);
    expect(ledger.ends.map((info) => info.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('throws BackgroundTasksQueueFullError at addTask once threads.maxQueue thread tasks wait', async () => {
    const { url } = await start({ threads: { maxThreads: 1, maxQueue: 1 } });
    const flags = sharedFlags();
    await run(url, (tasks) => tasks.with({ name: 'first' }).addTask(spin, flags, 0));
    await changed(flags, 0);
    await run(url, (tasks) => tasks.with({ name: 'second' }).addTask(spin, flags, 4));
    await ledger.until(() => ledger.starts.length === 2);
    const refused = await run(url, (tasks) => tasks.with({ name: 'third' }).addTask(spin, flags, 8));
    expect(refused).toBe(
      'BackgroundTasksQueueFullError: Thread task "third" was not added: 1 thread tasks are already waiting for a thread ' +
        "(threads.maxQueue). Raise threads.maxThreads or threads.maxQueue, or set onQueueFull: 'run' to accept tasks past the bound.",
    );
    release(flags, 0);
    release(flags, 4);
    await ledger.until(() => ledger.ends.length === 2);
    expect(ledger.ends.map((info) => info.name)).toEqual(['first', 'second']);
  });

  it('app.close() waits for a running thread task, then ends the pool', async () => {
    const { url, app, logger } = await start();
    const flags = sharedFlags();
    await run(url, (tasks) => tasks.addTask(spin, flags, 0));
    await changed(flags, 0);
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    running = undefined;
    await logger.waitFor((line) => line.message.startsWith('Shutting down: waiting'));
    expect(closed).toBe(false);
    release(flags, 0);
    await closing;
    expect(ledger.ends).toMatchObject([{ name: 'spin', outcome: 'succeeded' }]);
    expect(app.get(ThreadTaskPool).threads).toBe(0);
  });

  it('at the drain deadline aborts thread tasks and terminates their threads at once', async () => {
    const { url, app } = await start({ drainTimeout: 200, threads: { abortGracePeriod: 60_000 } });
    const flags = sharedFlags();
    await run(url, (tasks) => tasks.addAbortableTask(stubborn, flags, 0));
    await changed(flags, 0);
    const pool = app.get(ThreadTaskPool);
    await app.close();
    running = undefined;
    // Not the 60 s grace period: the pool is destroyed with the drain.
    expect(ledger.ends).toMatchObject([{ name: 'stubborn', outcome: 'abandoned', reason: 'drain deadline: running' }]);
    expect(pool.threads).toBe(0);
  });

  it('record mode shows a thread task with its arguments; running it runs it in the pool', async () => {
    const { url, app } = await start();
    const kit = BackgroundTasksTester.of(app);
    kit.setMode('record');
    const flags = sharedFlags();
    await run(url, (tasks) => tasks.addTask(record, flags, 0, 7));
    await kit.idle();
    expect(kit.recorded).toMatchObject([{ name: 'record', fn: record, args: [flags, 0, 7], status: 'held' }]);
    await kit.runRecorded();
    expect(Atomics.load(flags, 0)).toBe(7);
    expect(Atomics.load(flags, 1)).not.toBe(threadId);
  });

  it('inline mode: the response waits for the thread task, run in a thread', async () => {
    const { url, app } = await start();
    BackgroundTasksTester.of(app).setMode('inline');
    const flags = sharedFlags();
    await run(url, (tasks) => tasks.addTask(record, flags, 0, 9));
    // The client has the whole response: the task has already run, in another thread.
    expect(Atomics.load(flags, 0)).toBe(9);
    expect(Atomics.load(flags, 1)).not.toBe(threadId);
    expect(ledger.ends).toMatchObject([{ name: 'record', outcome: 'succeeded' }]);
  });

  it('warns once per task name when a task blocks the event loop, with the remedy', async () => {
    const { url, logger } = await start({ loopBlockWarning: 20 });
    const blockFor = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const flags = sharedFlags();
    for (let i = 0; i < 2; i++) await run(url, (tasks) => tasks.addTask(blockFor, 30));
    await run(url, (tasks) => tasks.with({ name: 'overrun', timeout: 5 }).addTask(blockFor, 30));
    await run(url, (tasks) => tasks.addTask(spin, flags, 0));
    await changed(flags, 0);
    release(flags, 0);
    await ledger.until(() => ledger.ends.length === 4);
    expect(ledger.ends.map((info) => info.outcome)).toEqual(['succeeded', 'succeeded', 'timed-out', 'succeeded']);
    const warnings = logger.ours('warn').filter((line) => line.message.includes('blocked the event loop'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0].message).toMatch(
      /^Task "blockFor" of POST \/run blocked the event loop for \d+ ms \(synchronous run; loopBlockWarning: 20 ms\): every other request and task waited meanwhile\. Run it in a worker thread \(defineThreadTask\), or split it with awaits\./,
    );
    expect(warnings[1].message).toContain('Task "overrun" of POST /run blocked the event loop');
    expect(warnings[1].message).toContain('It overran its timeout of 5 ms, which cannot interrupt synchronous code: it ends timed-out once it returns.');
  });

  it('gives no loop-block warning with loopBlockWarning: false', async () => {
    const { url, logger } = await start({ loopBlockWarning: false });
    await run(url, (tasks) => tasks.addTask((ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    }, 150));
    await ledger.until(() => ledger.ends.length === 1);
    expect(logger.ours('warn')).toEqual([]);
  });
});

describe('defineThreadTask() and the thread options', () => {
  const task = (n: number) => n;

  it('returns the function itself, marked, still callable in-process', () => {
    const defined = defineThreadTask('/srv/app/tasks/double.task.js', 'double', (n: number) => n * 2);
    expect(defined(21)).toBe(42);
    expect(Object.keys(defined)).toEqual([]);
    expect(defineThreadTask(new URL('file:///srv/app/x.js'), 'x', task)).toBe(task);
  });

  it.each([
    ['tasks/report.js', 'x', task, 'as module the absolute path of the thread task\'s own module (__filename) or its file: URL (import.meta.url), but received a string that is neither an absolute path nor a file: URL.'],
    [new URL('https://example.com/x.js'), 'x', task, 'but received a https: URL.'],
    [42, 'x', task, 'but received a number.'],
    ['/srv/x.js', '', task, 'as exportName the name the module exports the task under (a non-empty string of at most 200 characters), but received a string.'],
    ['/srv/x.js', 'x', 'not a function', 'as fn the task\'s function, but received a string.'],
  ])('throws a TypeError naming the argument (%#)', (module, exportName, fn, message) => {
    expect(() => defineThreadTask(module as string, exportName as string, fn as never)).toThrow(TypeError);
    expect(() => defineThreadTask(module as string, exportName as string, fn as never)).toThrow(message);
  });

  it('refuses to mark one function as two thread tasks', () => {
    const once = defineThreadTask('/srv/a.js', 'a', (n: number) => n);
    expect(() => defineThreadTask('/srv/b.js', 'b', once)).toThrow(/already the thread task "a" of file:\/\/\/srv\/a\.js/);
  });

  it.each([
    [{ threads: { maxThreads: 0 } }, 'option "threads.maxThreads" must be an integer from 1 to 1024, but received a number (0).'],
    [{ threads: { maxQueue: 0 } }, 'option "threads.maxQueue" must be an integer >= 1 or Infinity, but received a number (0).'],
    [{ threads: { idleTimeout: -1 } }, 'option "threads.idleTimeout" must be a number of ms from 0 to 2147483647, or Infinity, but received a number (-1).'],
    [{ threads: { abortGracePeriod: Number.NaN } }, 'option "threads.abortGracePeriod" must be a number of ms from 0 to 2147483647, but received a number (NaN).'],
    [{ threads: { maxThread: 2 } }, 'unknown option "threads.maxThread" (known: maxThreads, maxQueue, idleTimeout, abortGracePeriod).'],
    [{ threads: 4 }, 'option "threads" must be an object, but received a number (4).'],
    [{ loopBlockWarning: 0 }, 'option "loopBlockWarning" must be a number of ms > 0, or false, but received a number (0).'],
    [{ loopBlockWarning: true }, 'option "loopBlockWarning" must be a number of ms > 0, or false, but received a boolean.'],
  ])('checks %j', (options, message) => {
    expect(() => resolveOptions(options as BackgroundTasksModuleOptions)).toThrow(TypeError);
    expect(() => resolveOptions(options as BackgroundTasksModuleOptions)).toThrow(message);
  });

  it('defaults: threads leave a core to the event loop; warnings from 100 ms', () => {
    const resolved = resolveOptions({});
    expect(resolved.threads).toMatchObject({ maxQueue: Infinity, idleTimeout: 30_000, abortGracePeriod: 1000 });
    expect(resolved.threads.maxThreads).toBeGreaterThanOrEqual(1);
    expect(resolved.loopBlockWarning).toBe(100);
  });
});
