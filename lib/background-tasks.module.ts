import { Module, Scope, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule, REQUEST } from '@nestjs/core';
import { tasksForRequest } from './background-tasks.factory.js';
import { INVALID_OPTION } from './background-tasks.messages.js';
import { BackgroundTasksInterceptor } from './background-tasks.interceptor.js';
import {
  BACKGROUND_TASKS_ASYNC_OPTIONS_TYPE,
  BACKGROUND_TASKS_OPTIONS_TYPE,
  ConfigurableBackgroundTasksModule,
} from './background-tasks.module-definition.js';
import { BackgroundTasks } from './background-tasks.service.js';
import { BackgroundTasksHealthIndicator } from './observability/background-tasks-health.indicator.js';
import { BackgroundTasksMetrics } from './observability/background-tasks-metrics.service.js';
import { TaskTracing } from './observability/task-tracing.js';
import { durableEngineProvider } from './durable/durable-engine.loader.js';
import { DurableProducer } from './durable/durable-producer.js';
import { DurableWorker } from './durable/durable-worker.js';
import { TaskHandlerRegistry } from './durable/task-handler.registry.js';
import { TaskDrainer } from './runner/task-drainer.js';
import { TaskRunner } from './runner/task-runner.js';

/** Adds the global interceptor unless the app opted out (`globalInterceptor: false`). */
function withGlobalInterceptor(definition: DynamicModule, globalInterceptor: boolean | undefined): DynamicModule {
  if (globalInterceptor !== undefined && typeof globalInterceptor !== 'boolean') {
    throw new TypeError(INVALID_OPTION('globalInterceptor', 'a boolean', globalInterceptor));
  }
  if (globalInterceptor === false) return definition;
  const providers = [...(definition.providers ?? []), { provide: APP_INTERCEPTOR, useExisting: BackgroundTasksInterceptor }];
  return { ...definition, providers };
}

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
    {
      provide: BackgroundTasks,
      scope: Scope.REQUEST,
      inject: [REQUEST, TaskRunner],
      useFactory: tasksForRequest,
    },
    BackgroundTasksInterceptor,
    BackgroundTasksMetrics,
    BackgroundTasksHealthIndicator,
    TaskTracing,
    TaskHandlerRegistry,
    durableEngineProvider,
    DurableProducer,
    DurableWorker,
  ],
  // The runner and the interceptor too, for `@UseInterceptors(BackgroundTasksInterceptor)` elsewhere.
  exports: [BackgroundTasks, BackgroundTasksMetrics, BackgroundTasksHealthIndicator, BackgroundTasksInterceptor, TaskRunner],
})
export class BackgroundTasksModule extends ConfigurableBackgroundTasksModule {
  /** Configures the module; every option has a default, so `forRoot()` alone is enough. */
  static override forRoot(options: typeof BACKGROUND_TASKS_OPTIONS_TYPE = {}): DynamicModule {
    return withGlobalInterceptor(super.forRoot(options), options.globalInterceptor);
  }

  /** Like `forRoot`, with the options from a factory; `isGlobal` and `globalInterceptor` are given here. */
  static override forRootAsync(options: typeof BACKGROUND_TASKS_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withGlobalInterceptor(super.forRootAsync(options), options.globalInterceptor);
  }
}
