import { Module, Optional, type DynamicModule, type NestModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import {
  BACKGROUND_TASKS_ASYNC_OPTIONS_TYPE,
  BACKGROUND_TASKS_OPTIONS_TYPE,
  ConfigurableBackgroundTasksModule,
} from './background-tasks.module-definition.js';
import { durableEngineProvider } from './durable/durable-engine.providers.js';
import { describeValue } from './core/background-tasks.messages.js';
import { checkKnownKeys } from './core/option-checks.js';
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
import { ThreadTaskPool } from './threads/thread-task.pool.js';
import { BackgroundTasksTracker } from './tracking/background-tasks.tracker.js';

/** What `forRootAsync` reads: Nest's async keys and the extras (the options come from the factory). */
const ASYNC_OPTION_KEYS = [
  'useFactory', 'useClass', 'useExisting', 'inject', 'imports', 'provideInjectionTokensFrom', 'isGlobal', 'requestScoped', 'globalInterceptor',
];

/**
 * Nest's builder would turn a string into `{ 0: 's', ... }`, a number or an array into `{}`, and fail on
 * `null` with "Cannot convert undefined or null to object": say what is wrong at the call instead.
 */
function checkOptionsObject(method: string, options: unknown, known?: readonly string[]): void {
  const where = `BackgroundTasksModule.${method}() options`;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where} must be an object, but received ${describeValue(options)}.`);
  }
  if (known !== undefined) checkKnownKeys(where, '', options, known);
}

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
    // Starts no thread until the first thread task.
    ThreadTaskPool,
    BackgroundTasksTracker,
    // The plug-ins: each attaches itself to the runner (`TaskRunner.use*`) when Nest creates it.
    testModeProvider,
  ],
  // The runner and the interceptor too, for `@UseInterceptors(BackgroundTasksInterceptor)` elsewhere.
  exports: [
    BackgroundTasks,
    BackgroundTasksTracker,
    BackgroundTasksMetrics,
    BackgroundTasksHealthIndicator,
    BackgroundTasksInterceptor,
    TaskRunner,
    ThreadTaskPool,
  ],
})
export class BackgroundTasksModule extends ConfigurableBackgroundTasksModule implements NestModule {
  /** @internal */
  constructor(@Optional() private readonly requestScopeHook?: RequestScopeHook) {
    super();
  }

  /** Configures the module; every option has a default, so `forRoot()` alone is enough. */
  static override forRoot(options: typeof BACKGROUND_TASKS_OPTIONS_TYPE = {}): DynamicModule {
    checkOptionsObject('forRoot', options);
    return super.forRoot(options);
  }

  /** Like `forRoot`, with the options from a factory; the extras (`isGlobal`, `requestScoped`, `globalInterceptor`) are given here. */
  static override forRootAsync(options: typeof BACKGROUND_TASKS_ASYNC_OPTIONS_TYPE): DynamicModule {
    checkOptionsObject('forRootAsync', options, ASYNC_OPTION_KEYS);
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
