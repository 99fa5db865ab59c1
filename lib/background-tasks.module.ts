import { Module, Scope, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR, REQUEST } from '@nestjs/core';
import { tasksForRequest } from './background-tasks.factory.js';
import { BackgroundTasksInterceptor } from './background-tasks.interceptor.js';
import {
  BACKGROUND_TASKS_OPTIONS_TYPE,
  ConfigurableBackgroundTasksModule,
} from './background-tasks.module-definition.js';
import { BackgroundTasks } from './background-tasks.service.js';
import { BackgroundTasksHealthIndicator } from './observability/background-tasks-health.indicator.js';
import { BackgroundTasksMetrics } from './observability/background-tasks-metrics.service.js';
import { TaskTracing } from './observability/task-tracing.js';
import { TaskDrainer } from './runner/task-drainer.js';
import { TaskRunner } from './runner/task-runner.js';

/**
 * Registers `BackgroundTasks`, the interceptor that tells it when a response has been sent, and the
 * graceful-shutdown drain. Global unless `isGlobal: false`.
 *
 * @publicApi
 */
@Module({
  providers: [
    TaskRunner,
    TaskDrainer,
    {
      provide: BackgroundTasks,
      scope: Scope.REQUEST,
      inject: [REQUEST, TaskRunner],
      useFactory: tasksForRequest,
    },
    { provide: APP_INTERCEPTOR, useClass: BackgroundTasksInterceptor },
    BackgroundTasksMetrics,
    BackgroundTasksHealthIndicator,
    TaskTracing,
  ],
  exports: [BackgroundTasks, BackgroundTasksMetrics, BackgroundTasksHealthIndicator],
})
export class BackgroundTasksModule extends ConfigurableBackgroundTasksModule {
  /** Configures the module; every option has a default, so `forRoot()` alone is enough. */
  static override forRoot(options: typeof BACKGROUND_TASKS_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }
}
