import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import {
  BACKGROUND_TASKS_ASYNC_OPTIONS_TYPE,
  BACKGROUND_TASKS_OPTIONS_TYPE,
  ConfigurableBackgroundTasksModule,
} from './background-tasks.module-definition.js';
import { INVALID_OPTION } from './core/background-tasks.messages.js';
import { durableEngineProvider } from './durable/durable-engine.providers.js';
import { DurableProducer } from './durable/durable-producer.js';
import { DurableWorker } from './durable/durable-worker.js';
import { TaskHandlerExplorer } from './durable/task-handler.explorer.js';
import { BackgroundTasksHealthIndicator } from './observability/background-tasks-health.indicator.js';
import { BackgroundTasksMetrics } from './observability/background-tasks-metrics.service.js';
import { TaskTracing } from './observability/task-tracing.js';
import { BackgroundTasksInterceptor } from './request/background-tasks.interceptor.js';
import { backgroundTasksProvider } from './request/background-tasks.providers.js';
import { BackgroundTasks } from './request/background-tasks.service.js';
import { TaskDrainer } from './runner/task-drainer.js';
import { TaskRunner } from './runner/task-runner.js';
import { testModeProvider } from './testing/test-mode.providers.js';

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
    backgroundTasksProvider,
    BackgroundTasksInterceptor,
    BackgroundTasksMetrics,
    BackgroundTasksHealthIndicator,
    TaskTracing,
    TaskHandlerExplorer,
    durableEngineProvider,
    DurableProducer,
    DurableWorker,
    // The plug-ins: each attaches itself to the runner (`TaskRunner.use*`) when Nest creates it.
    testModeProvider,
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
