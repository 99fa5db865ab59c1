import { Controller, Module, Post, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  BackgroundTasks,
  BackgroundTasksModule,
  type BackgroundTasksModuleOptions,
  type TaskEndInfo,
  type TaskOptions,
} from '../../lib/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { createGate } from '../support/gate.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';

/** Options `with()` must refuse, each with the message it must give. */
const BAD_TASK_OPTIONS: [unknown, string][] = [
  [{ timout: 5 }, 'unknown option "timout" (known: name, timeout, retries, backoff, retryIf, runOn, onClientAbort, dedupe, after, ifDependencyFails).'],
  [{ retry: 2 }, 'unknown option "retry"'],
  [{ retries: 1001 }, 'option "retries" must be an integer from 0 to 1000, but received a number (1001).'],
  [{ retries: 1e9 }, 'option "retries" must be an integer from 0 to 1000, but received a number (1000000000).'],
  [{ timeout: Number.NaN }, 'option "timeout" must be a number >= 0, but received a number (NaN).'],
  [{ backoff: { delay: Infinity } }, 'option "backoff.delay" must be a finite number >= 0, but received a number (Infinity).'],
  [{ backoff: { maxDelay: Number.NaN } }, 'option "backoff.maxDelay" must be a finite number >= 0, but received a number (NaN).'],
  [{ backoff: { jitter: 'yes' } }, 'option "backoff.jitter" must be a boolean, but received a string.'],
  [{ backoff: { dealy: 5 } }, 'unknown option "backoff.dealy" (known: type, delay, maxDelay, jitter).'],
  [{ name: 'x'.repeat(201) }, 'option "name" must be a non-empty string of at most 200 characters, but received a string.'],
  [{ name: 'x'.repeat(1 << 20) }, 'option "name" must be a non-empty string of at most 200 characters, but received a string.'],
  [[], 'expects an options object, but received an object (Array).'],
  [{ after: [] }, 'option "after" must be a task handle returned by addTask, or an array of 1 to 1000 of them, but received an object (Array).'],
  [{ after: 'abc-1' }, 'option "after" must be a task handle returned by addTask, but received a string.'],
  [{ after: [{ id: 'abc-1', name: 'x' }] }, 'option "after[0]" must be a task handle returned by addTask, but received an object (Object).'],
  [{ ifDependencyFails: 'ignore' }, `option "ifDependencyFails" must be 'skip' | 'run', but received a string.`],
  [{ ifDependencyFails: 'run' }, 'option "ifDependencyFails" needs option "after".'],
];

class Widget {
  run(): void {}
}

@Controller()
class OptionsController {
  constructor(private readonly tasks: BackgroundTasks) {}

  @Post('bad-task-options')
  badTaskOptions(): string[] {
    return BAD_TASK_OPTIONS.map(([options]) => {
      try {
        this.tasks.with(options as TaskOptions);
        return 'accepted';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    });
  }

  @Post('class-as-task')
  classAsTask(): string[] {
    const messages: string[] = [];
    for (const add of [() => this.tasks.addTask(Widget as never), () => this.tasks.with({ name: 'w' }).addTask(Widget as never)]) {
      try {
        add();
        messages.push('accepted');
      } catch (error) {
        messages.push(`${(error as Error).name}: ${(error as Error).message}`);
      }
    }
    // Plain functions, arrows, async functions and built-in constructors stay tasks.
    this.tasks.addTask(function plain() {});
    this.tasks.addTask(async () => undefined);
    this.tasks.addTask(String, 'x');
    return messages;
  }

  @Post('backoff-results')
  backoffResults(): void {
    for (const [name, result] of [['nan', Number.NaN], ['negative', -5], ['text', 'soon'], ['infinity', Infinity]] as const) {
      this.tasks.with({ name, retries: 2, backoff: () => result as number }).addTask(() => {
        throw new Error('always');
      });
    }
  }
}

@Module({})
class OptionsAppModule {
  static with(options: BackgroundTasksModuleOptions): DynamicModule {
    return { module: OptionsAppModule, imports: [BackgroundTasksModule.forRoot(options)], controllers: [OptionsController] };
  }
}

/** Resolves with the error the app fails to start with. */
async function startupError(module: DynamicModule): Promise<Error> {
  try {
    const app = await NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });
    await app.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the app started');
}

const startupErrorOf = (options: unknown) => startupError(OptionsAppModule.with(options as BackgroundTasksModuleOptions));

describe('every option is checked: unknown keys, ranges, kinds', () => {
  const processErrors = watchProcessErrors();
  afterEach(() => expect(processErrors.errors).toEqual([]));

  it.each([
    [{ drainTimout: 5 }, 'BackgroundTasksModule options: unknown option "drainTimout" (known: drainTimeout,'],
    [{ defaults: { timout: 5 } }, 'BackgroundTasksModule defaults: unknown option "timout" (known: timeout, retries,'],
    [{ defaults: { name: 'x' } }, 'BackgroundTasksModule defaults: unknown option "name"'],
    [{ defaults: { retries: 1e9 } }, 'BackgroundTasksModule defaults: option "retries" must be an integer from 0 to 1000, but received a number (1000000000).'],
    [{ defaults: { backoff: { jitter: 1 } } }, 'BackgroundTasksModule defaults: option "backoff.jitter" must be a boolean, but received a number (1).'],
    [{ drainTimeout: Number.NaN }, 'BackgroundTasksModule option "drainTimeout" must be a number >= 0 (ms), but received a number (NaN).'],
    [{ durable: { connection: {}, enqueTimeout: 5 } }, 'BackgroundTasksModule options: unknown option "durable.enqueTimeout"'],
    [{ durable: { connection: {}, worker: { concurency: 2 } } }, 'BackgroundTasksModule options: unknown option "durable.worker.concurency"'],
    [{ durable: { connection: {}, enqueueTimeout: Infinity } }, 'option "durable.enqueueTimeout" must be a number of ms > 0 and <= 2147483647, but received a number (Infinity).'],
    [{ durable: { connection: {}, enqueueTimeout: 2 ** 31 } }, 'option "durable.enqueueTimeout" must be a number of ms > 0 and <= 2147483647, but received a number (2147483648).'],
    [{ durable: { connection: {}, worker: { lockDuration: 1e12 } } }, 'option "durable.worker.lockDuration" must be a number of ms > 0'],
    [{ durable: { connection: {}, worker: { maxStalledCount: 1e9 } } }, 'option "durable.worker.maxStalledCount" must be an integer from 0 to 1000'],
    [{ durable: { connection: {}, removeOnComplete: { count: -1 } } }, 'option "durable.removeOnComplete.count" must be an integer from 0 to 1000000, but received a number (-1).'],
    [{ durable: { connection: {}, removeOnFail: { cnt: 1 } } }, 'unknown option "durable.removeOnFail.cnt" (known: age, count).'],
    [{ durable: { connection: {}, removeOnFail: Number.NaN } }, 'option "durable.removeOnFail" must be an integer from 0 to 1000000, but received a number (NaN).'],
    [{ defaults: { after: [] } }, 'BackgroundTasksModule defaults: unknown option "after"'],
    [{ defaults: { ifDependencyFails: 'run' } }, 'BackgroundTasksModule defaults: unknown option "ifDependencyFails"'],
    [{ tracking: 'on' }, 'option "tracking" must be an object or a boolean, but received a string.'],
    [{ tracking: { maxEntrys: 5 } }, 'BackgroundTasksModule options: unknown option "tracking.maxEntrys" (known: maxEntries, ttl, results).'],
    [{ tracking: { maxEntries: 0 } }, 'option "tracking.maxEntries" must be an integer from 1 to 10000000, but received a number (0).'],
    [{ tracking: { maxEntries: Number.NaN } }, 'option "tracking.maxEntries" must be an integer from 1 to 10000000, but received a number (NaN).'],
    [{ tracking: { ttl: 0 } }, 'option "tracking.ttl" must be a number of ms > 0 (Infinity: no limit), but received a number (0).'],
    [{ tracking: { ttl: Number.NaN } }, 'option "tracking.ttl" must be a number of ms > 0 (Infinity: no limit), but received a number (NaN).'],
    [{ tracking: { results: 'yes' } }, 'option "tracking.results" must be a boolean or { maxBytes }, but received a string.'],
    [{ tracking: { results: { maxBytes: 2 ** 30 } } }, 'option "tracking.results.maxBytes" must be an integer from 1 to 16777216, but received a number (1073741824).'],
    [{ tracking: { results: { max: 1 } } }, 'unknown option "tracking.results.max" (known: maxBytes).'],
    [{ tracking: [] }, 'option "tracking" must be an object or a boolean, but received an object (Array).'],
  ])('module options %p fail at startup', async (options, message) => {
    const error = await startupErrorOf(options);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain(message);
  });

  it.each([['str'], [42], [[]], [null]])('forRoot(%p) fails at the call, naming forRoot() options', (options) => {
    expect(() => BackgroundTasksModule.forRoot(options as never)).toThrow(TypeError);
    expect(() => BackgroundTasksModule.forRoot(options as never)).toThrow(/^BackgroundTasksModule\.forRoot\(\) options must be an object, but received /);
  });

  it('forRootAsync: unknown keys fail at the call; a factory that returns no object fails at startup', async () => {
    expect(() => BackgroundTasksModule.forRootAsync({ useFactory: () => ({}), drainTimeout: 5 } as never)).toThrow(
      new TypeError('BackgroundTasksModule.forRootAsync() options: unknown option "drainTimeout" (known: useFactory, useClass, useExisting, inject, imports, provideInjectionTokensFrom, isGlobal, requestScoped, globalInterceptor).'),
    );
    expect(() => BackgroundTasksModule.forRootAsync(null as never)).toThrow('BackgroundTasksModule.forRootAsync() options must be an object, but received null.');
    const error = await startupError({ module: OptionsAppModule, imports: [BackgroundTasksModule.forRootAsync({ useFactory: () => 'str' as never })] });
    expect(error).toEqual(new TypeError('BackgroundTasksModule options must be an object, but received a string.'));
  });

  it('a malformed durable.connection.url fails at startup naming the option, never showing the URL', async () => {
    for (const url of ['redis://:s3cret@localhost:abc/0', 'redis://:s3cret@local host:6379', 'http://:s3cret@localhost:6379', 'redis://:s3cret@localhost:6379/zero', 42]) {
      const error = await startupErrorOf({ durable: { connection: { url } } });
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain('BackgroundTasksModule option "durable.connection.url" must be a redis:// or rediss:// URL');
      expect(JSON.stringify({ ...error, message: error.message, stack: error.stack, cause: String(error.cause) })).not.toContain('s3cret');
    }
    const port = await startupErrorOf({ durable: { connection: { host: 'localhost', port: 'abc' } } });
    expect(port.message).toBe('BackgroundTasksModule option "durable.connection.port" must be an integer from 0 to 65535, but received a string.');
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let running: RunningApp | undefined;
    afterEach(async () => {
      await running?.app.close();
      running = undefined;
    });

    it('with() refuses unknown keys, out-of-range numbers, a non-boolean jitter and long names; NaN and Infinity print as such', async () => {
      running = await startApp(OptionsAppModule.with({}), adapter);
      const res = await send(`${running.url}/bad-task-options`, 'POST');
      const messages = JSON.parse(res.body) as string[];
      expect(messages).toHaveLength(BAD_TASK_OPTIONS.length);
      messages.forEach((message, i) => {
        expect(message).toMatch(/^TypeError: BackgroundTasks\.with\(\)/);
        expect(message).toContain(BAD_TASK_OPTIONS[i][1]);
        expect(message.length).toBeLessThan(300);
      });
    });

    it('a class constructor as a task is refused at addTask', async () => {
      running = await startApp(OptionsAppModule.with({}), adapter);
      const res = await send(`${running.url}/class-as-task`, 'POST');
      expect(JSON.parse(res.body)).toEqual([
        'TypeError: BackgroundTasks.addTask() expects a function as its first argument, but received a class constructor, which cannot be called without new: pass a function that creates and uses the instance, or a method of an instance.',
        'TypeError: BackgroundTasks.with(...).addTask() expects a function as its first argument, but received a class constructor, which cannot be called without new: pass a function that creates and uses the instance, or a method of an instance.',
      ]);
    });

    it("a backoff function's NaN, negative or non-number result retries at once; Infinity stops retrying", async () => {
      const ends: TaskEndInfo[] = [];
      const allEnded = createGate();
      running = await startApp(
        OptionsAppModule.with({
          logLevels: { retrying: false, failed: false },
          onTaskEnd: (info) => {
            ends.push(info);
            if (ends.length === 4) allEnded.open();
          },
        }),
        adapter,
      );
      await send(`${running.url}/backoff-results`, 'POST');
      await allEnded.promise;
      const attempts = Object.fromEntries(ends.map((info) => [info.name, [info.outcome, info.attempt]]));
      expect(attempts).toEqual({ nan: ['failed', 3], negative: ['failed', 3], text: ['failed', 3], infinity: ['failed', 1] });
    });
  });
});
