import { Module, Optional, type DynamicModule, type NestModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import {
  BACKGROUND_TASKS_ASYNC_OPTIONS_TYPE,
  BACKGROUND_TASKS_OPTIONS_TYPE,
  ConfigurableBackgroundTasksModule,
} from './background-tasks.module-definition.js';
import { durableEngineProvider } from './durable/durable-engine.providers.js';
import { DurableProducer } from './durable/durable-producer.js';
import { DurableWorker } from './durable/durable-worker.js';
import { TaskHandlerExplorer } from './durable/task-handler.explorer.js';
import { BackgroundTasksHealthIndicator } from './observability/background-tasks-health.indicator.js';
import { BackgroundTasksMetrics } from './observability/background-tasks-metrics.service.js';
import { TaskTracing } from './observability/task-tracing.js';
import { BackgroundTasksInterceptor } from './request/background-tasks.interceptor.js';
import { BackgroundTasks } from './request/background-tasks.service.js';
import { RequestScopeHook } from './request/request-scope.hook.js';
import { TaskDrainer } from './runner/task-drainer.js';
import { TaskRunner } from './runner/task-runner.js';
import { testModeProvider } from './testing/test-mode.providers.js';

/**
 * Registers `BackgroundTasks` (request-scoped, or a singleton with `requestScoped: false`), the
 * interceptor that tells it when a handler has ended, and the graceful-shutdown drain. Global unless
 * `isGlobal: false`. See `BackgroundTasksModuleExtras` for how the module is shaped.
 *
 * @publicApi
 */
@Module({
  // Discovery finds the @BackgroundTask handlers; the durable providers stay idle unless `durable` is set.
  imports: [DiscoveryModule],
  providers: [
    TaskRunner,
    TaskDrainer,
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
export class BackgroundTasksModule extends ConfigurableBackgroundTasksModule implements NestModule {
  /** @internal */
  constructor(@Optional() private readonly requestScopeHook?: RequestScopeHook) {
    super();
  }

  /** Configures the module; every option has a default, so `forRoot()` alone is enough. */
  static override forRoot(options: typeof BACKGROUND_TASKS_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  /** Like `forRoot`, with the options from a factory; the extras (`isGlobal`, `requestScoped`, `globalInterceptor`) are given here. */
  static override forRootAsync(options: typeof BACKGROUND_TASKS_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }

  /**
   * Under `requestScoped: false`, enters every HTTP request into the request scope. Nest calls this once
   * the HTTP adapter is known and before it mounts middleware and routes.
   */
  configure(): void {
    this.requestScopeHook?.install();
  }
}
