export { BackgroundTasksQueueFullError } from './core/background-tasks-queue-full.error.js';
export { BackgroundTasksWithOptions } from './request/background-tasks-with-options.js';
export { BackgroundTasksInterceptor } from './request/background-tasks.interceptor.js';
export { BackgroundTasksModule } from './background-tasks.module.js';
export { BackgroundTasks } from './request/background-tasks.service.js';
export { Tasks } from './request/tasks.decorator.js';
export { BackgroundTask } from './durable/background-task.decorator.js';
export { defineThreadTask } from './threads/define-thread-task.js';
export { ThreadTaskPool } from './threads/thread-task.pool.js';
export type { ThreadPoolOptions } from './interfaces/thread-pool-options.interface.js';
export type {
  DurableConnection,
  DurableOptions,
  DurableWorkerOptions,
  EnqueueErrorPolicy,
  KeepJobs,
} from './interfaces/durable-options.interface.js';
export type { BackgroundTasksModuleExtras } from './interfaces/background-tasks-module-extras.interface.js';
export type {
  BackgroundTasksModuleOptions,
  BackgroundTasksTestMode,
  QueueOverflowPolicy,
} from './interfaces/background-tasks-module-options.interface.js';
export type {
  BackgroundTasksCounters,
  BackgroundTasksMetricsSnapshot,
} from './interfaces/background-tasks-metrics-snapshot.interface.js';
export type { DrainInfo } from './interfaces/drain-info.interface.js';
export type { TaskLogLevel, TaskLogLevels } from './interfaces/task-log-levels.interface.js';
export {
  BackgroundTasksHealthIndicator,
  type BackgroundTasksHealthOptions,
  type BackgroundTasksHealthResult,
} from './observability/background-tasks-health.indicator.js';
export { BackgroundTasksMetrics } from './observability/background-tasks-metrics.service.js';
export type { DurationHistogramSnapshot } from './interfaces/duration-histogram-snapshot.interface.js';
export type {
  TaskEndInfo,
  TaskInfo,
  TaskOutcome,
  TaskRequestInfo,
} from './interfaces/task-info.interface.js';
export type {
  BackoffOptions,
  ClientAbortPolicy,
  DependencyFailurePolicy,
  RunOn,
  TaskDefaults,
  TaskOptions,
} from './interfaces/task-options.interface.js';
export type { PendingTask } from './interfaces/pending-task.interface.js';
export { BackgroundTasksTracker } from './tracking/background-tasks.tracker.js';
export type { TaskHandle } from './interfaces/task-handle.interface.js';
export type { TaskCancelResult, TaskState, TaskStatus } from './interfaces/task-status.interface.js';
export type { TaskTrackingOptions } from './interfaces/task-tracking-options.interface.js';
