import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { BackgroundTasksInterceptor } from './background-tasks.interceptor.js';
import {
  BACKGROUND_TASKS_OPTIONS_TYPE,
  ConfigurableBackgroundTasksModule,
} from './background-tasks.module-definition.js';
import { BackgroundTasks } from './background-tasks.service.js';
import { durableEngineProvider } from './durable/durable-engine.loader.js';
import { DurableProducer } from './durable/durable-producer.js';
import { DurableWorker } from './durable/durable-worker.js';
import { TaskHandlerRegistry } from './durable/task-handler.registry.js';
import { TaskDrainer } from './runner/task-drainer.js';
import { TaskRunner } from './runner/task-runner.js';

/**
 * Registers `BackgroundTasks`, the interceptor that tells it when a response has been sent, and the
 * graceful-shutdown drain. Global unless `isGlobal: false`.
 *
 * @publicApi
 */
@Module({
  // Discovery finds the @BackgroundTask handlers; the durable providers stay idle unless `durable` is set.
  imports: [DiscoveryModule],
  providers: [
    TaskRunner,
    TaskDrainer,
    BackgroundTasks,
    { provide: APP_INTERCEPTOR, useClass: BackgroundTasksInterceptor },
    TaskHandlerRegistry,
    durableEngineProvider,
    DurableProducer,
    DurableWorker,
  ],
  exports: [BackgroundTasks],
})
export class BackgroundTasksModule extends ConfigurableBackgroundTasksModule {
  /** Configures the module; every option has a default, so `forRoot()` alone is enough. */
  static override forRoot(options: typeof BACKGROUND_TASKS_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }
}
