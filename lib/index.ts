export { BackgroundTasksQueueFullError } from './background-tasks-queue-full.error.js';
export { BackgroundTasksWithOptions } from './background-tasks-with-options.js';
export { BackgroundTasksModule } from './background-tasks.module.js';
export { BackgroundTasks } from './background-tasks.service.js';
export { Tasks } from './decorators/tasks.decorator.js';
export type {
  BackgroundTasksModuleOptions,
  QueueOverflowPolicy,
} from './interfaces/background-tasks-module-options.interface.js';
export type {
  TaskEndInfo,
  TaskInfo,
  TaskOutcome,
  TaskRequestInfo,
} from './interfaces/task-info.interface.js';
export type {
  BackoffOptions,
  ClientAbortPolicy,
  RunOn,
  TaskDefaults,
  TaskOptions,
} from './interfaces/task-options.interface.js';
export type { PendingTask } from './runner/task-batch.js';
