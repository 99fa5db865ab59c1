import { Controller, Injectable, Module, Post } from '@nestjs/common';
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

  it('fails at startup with a TypeError naming a bad option', async () => {
    @Module({ imports: [BackgroundTasksModule.forRoot({ maxConcurrent: 0 })] })
    class BadAppModule {}

    await expect(NestFactory.create(BadAppModule, { logger: false, abortOnError: false })).rejects.toThrow(
      new TypeError('BackgroundTasksModule option "maxConcurrent" must be an integer >= 1, but received a number (0).'),
    );
  });
});
