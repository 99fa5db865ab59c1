import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BackgroundTask, BackgroundTasksModule, type BackgroundTasksModuleOptions } from '../../lib/index.js';
import { DuplicateJobs, JobsService, ScopedJobs } from '../fixtures/durable-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { CaptureLogger } from '../support/capture-logger.js';

@Module({})
class ConfigModule {
  static with(options: BackgroundTasksModuleOptions, providers: Provider[]): DynamicModule {
    return { module: ConfigModule, imports: [BackgroundTasksModule.forRoot(options)], providers: [TaskProbe, ...providers] };
  }
}

/** Resolves with the error the app fails to start with. */
async function startupError(options: BackgroundTasksModuleOptions, providers: Provider[] = [JobsService]): Promise<Error> {
  try {
    const app = await NestFactory.createApplicationContext(ConfigModule.with(options, providers), { logger: false, abortOnError: false });
    await app.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the app started');
}

/** Redis at a port nobody listens on: none of these apps gets as far as connecting. */
const connection = { host: '127.0.0.1', port: 1 };

describe('durable configuration mistakes fail at startup, naming the problem', () => {
  it('two handlers of the same name', async () => {
    const error = await startupError({}, [JobsService, DuplicateJobs]);
    expect(error.message).toBe(
      "@BackgroundTask('jobs.record') is declared twice (JobsService.record and DuplicateJobs.again): handler names must be unique in an app.",
    );
  });

  it('a handler on a request-scoped provider', async () => {
    const error = await startupError({}, [JobsService, ScopedJobs]);
    expect(error.message).toBe(
      "@BackgroundTask('jobs.scoped') on ScopedJobs.run: handlers must live on singleton providers, but this one is request-scoped or transient (it depends on something request-scoped, such as BackgroundTasks?).",
    );
  });

  it('durable.handlers naming a handler nobody declares', async () => {
    const error = await startupError({ durable: { connection, handlers: ['jobs.record', 'jobs.typo'] } });
    expect(error.message).toBe(
      "BackgroundTasksModule option \"durable.handlers\" names handlers that no provider declares: 'jobs.typo' (is the provider in a module this app imports?)",
    );
  });

  it.each([
    [{}, 'BackgroundTasksModule option "durable.connection" must be Redis connection options or a client (or give durable.queue), but received undefined.'],
    [{ connection, onEnqueueError: 'drop' }, 'BackgroundTasksModule option "durable.onEnqueueError" must be \'fail\' | \'run-in-process\', but received a string.'],
    [{ connection, queueName: 'a:b' }, 'BackgroundTasksModule option "durable.queueName" must be a non-empty string without ":", but received a string.'],
    [{ connection, worker: { concurrency: 0 } }, 'BackgroundTasksModule option "durable.worker.concurrency" must be an integer from 1 to 10000, but received a number (0).'],
    [{ connection, enqueueTimeout: -5 }, 'BackgroundTasksModule option "durable.enqueueTimeout" must be a number of ms > 0 and <= 2147483647, but received a number (-5).'],
    [{ queue: {} }, 'BackgroundTasksModule option "durable.queue" must be a BullMQ Queue, but received an object (Object).'],
  ])('bad durable options: %j', async (durable, message) => {
    const error = await startupError({ durable: durable as BackgroundTasksModuleOptions['durable'] });
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(message);
  });

  it('an app without handlers starts no worker (it could only fail the jobs it took), and says so', async () => {
    const logger = new CaptureLogger();
    const app = await NestFactory.createApplicationContext(ConfigModule.with({ durable: { connection, queueName: 'none' } }, []), {
      logger,
      abortOnError: false,
    });
    await app.close();
    expect(logger.ours('warn').map((l) => l.message)).toEqual([
      'durable.worker is on, but this app declares no @BackgroundTask handler: no worker takes jobs from queue "none"',
    ]);
  });

  it('@BackgroundTask without a name', () => {
    expect(() => BackgroundTask('')).toThrow(new TypeError("@BackgroundTask() expects a non-empty handler name, but received a string."));
    expect(() => BackgroundTask(undefined as never)).toThrow('but received undefined');
  });
});
