import {
  Catch,
  Controller,
  Injectable,
  Module,
  Post,
  UseFilters,
  UseInterceptors,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { TaskEndInfo } from '../../lib/index.js';
import { BackgroundTasksInterceptor, Tasks } from '../../lib/index.js';
import { NestFactory } from '@nestjs/core';
import { BackgroundTasks, BackgroundTasksModule } from '../../lib/index.js';
import { TaskRunner } from '../../lib/runner/task-runner.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { startApp } from '../support/app.js';
import { send } from '../support/http.js';

@Injectable()
class FakeConfig {
  readonly drainTimeout = 1234;
}

@Module({ providers: [FakeConfig], exports: [FakeConfig] })
class FakeConfigModule {}

@Controller()
class PingController {
  constructor(
    private readonly tasks: BackgroundTasks,
    private readonly probe: TaskProbe,
  ) {}

  @Post('ping')
  ping() {
    this.tasks.addTask((probe: TaskProbe) => probe.record('pinged'), this.probe);
    return { ok: true };
  }
}

@Module({ controllers: [PingController], providers: [TaskProbe] })
class FeatureModule {}

@Controller()
class ParamPingController {
  @Post('ping')
  ping(@Tasks() tasks: BackgroundTasks) {
    tasks.addTask(function paramPing() {});
    return { ok: true };
  }
}

/** Answers any error with a 200, so that only an interceptor can tell that the handler threw. */
@Catch()
class AnswerOkFilter implements ExceptionFilter {
  catch(_error: unknown, host: ArgumentsHost) {
    const response = host.switchToHttp().getResponse<{ status(code: number): unknown; send(body: unknown): void }>();
    response.status(200);
    response.send('handled');
  }
}

@Controller()
@UseInterceptors(BackgroundTasksInterceptor)
class InterceptedController {
  constructor(private readonly probe: TaskProbe) {}

  @Post('throws')
  @UseFilters(AnswerOkFilter)
  throws(@Tasks() tasks: BackgroundTasks) {
    tasks.addTask((probe: TaskProbe) => probe.record('ran-after-throw'), this.probe);
    throw new Error('handled by a filter');
  }
}

/** An app whose `@Tasks()` handler has no interceptor in front of it; its runner reports to `ended`. */
function paramAppWithoutInterceptor(ended: TaskEndInfo[]) {
  @Module({
    imports: [BackgroundTasksModule.forRoot({ globalInterceptor: false, onTaskEnd: (info) => void ended.push(info) })],
    controllers: [ParamPingController],
  })
  class ParamAppModule {}
  return ParamAppModule;
}

describe('BackgroundTasksModule', () => {
  it('forRootAsync takes options from an injected provider, and the module is global', async () => {
    @Module({
      imports: [
        BackgroundTasksModule.forRootAsync({
          imports: [FakeConfigModule],
          inject: [FakeConfig],
          useFactory: (config: FakeConfig) => ({ drainTimeout: config.drainTimeout }),
        }),
        FeatureModule,
      ],
    })
    class AsyncAppModule {}

    const { app, url } = await startApp(AsyncAppModule);
    try {
      expect(app.get(TaskRunner).options.drainTimeout).toBe(1234);
      await send(`${url}/ping`, 'POST');
      await app.get(TaskProbe).seen('pinged');
    } finally {
      await app.close();
    }
  });

  it('isGlobal: false makes feature modules import it themselves', async () => {
    @Module({ imports: [BackgroundTasksModule.forRoot({ isGlobal: false }), FeatureModule] })
    class LocalAppModule {}

    await expect(NestFactory.create(LocalAppModule, { logger: false, abortOnError: false })).rejects.toThrow(
      /BackgroundTasks/,
    );
  });

  it.each(['express', 'fastify'] as const)(
    'globalInterceptor: false: @Tasks() on %s finds its own application when several share the process',
    async (adapter) => {
      const endedA: TaskEndInfo[] = [];
      const endedB: TaskEndInfo[] = [];
      const a = await startApp(paramAppWithoutInterceptor(endedA), adapter);
      const b = await startApp(paramAppWithoutInterceptor(endedB), adapter);
      try {
        expect((await send(`${a.url}/ping`, 'POST')).status).toBe(201);
        expect((await send(`${b.url}/ping`, 'POST')).status).toBe(201);
        expect((await send(`${b.url}/ping`, 'POST')).status).toBe(201);
        // Closing drains each application's tasks.
        await a.app.close();
        await b.app.close();
        expect(endedA.map((info) => info.outcome)).toEqual(['succeeded']);
        expect(endedB.map((info) => info.outcome)).toEqual(['succeeded', 'succeeded']);
      } finally {
        await a.app.close();
        await b.app.close();
      }
    },
  );

  it.each(['express', 'fastify'] as const)(
    'globalInterceptor: false: @UseInterceptors(BackgroundTasksInterceptor) on %s puts the exception-based outcome back',
    async (adapter) => {
      @Module({
        imports: [BackgroundTasksModule.forRoot({ globalInterceptor: false })],
        controllers: [InterceptedController],
        providers: [TaskProbe],
      })
      class InterceptedAppModule {}

      const running = await startApp(InterceptedAppModule, adapter);
      try {
        expect((await send(`${running.url}/throws`, 'POST')).status).toBe(200);
        const line = await running.logger.waitFor((l) => l.context === 'BackgroundTasks' && l.message.startsWith('Dropped'));
        expect(line.message).toContain('Dropped 1 task(s) of POST /throws');
        expect(running.app.get(TaskProbe).count('ran-after-throw')).toBe(0);
      } finally {
        await running.app.close();
      }
    },
  );

  it('fails at startup with a TypeError naming a bad globalInterceptor', async () => {
    expect(() => BackgroundTasksModule.forRoot({ globalInterceptor: 'no' as never })).toThrow(
      new TypeError('BackgroundTasksModule option "globalInterceptor" must be a boolean, but received a string.'),
    );
  });

  it('fails at startup with a TypeError naming a bad option', async () => {
    @Module({ imports: [BackgroundTasksModule.forRoot({ maxConcurrent: 0 })] })
    class BadAppModule {}

    await expect(NestFactory.create(BadAppModule, { logger: false, abortOnError: false })).rejects.toThrow(
      new TypeError('BackgroundTasksModule option "maxConcurrent" must be an integer >= 1, but received a number (0).'),
    );
  });
});
