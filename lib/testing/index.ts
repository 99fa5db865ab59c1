export type { BackgroundTasksTestMode } from '../interfaces/background-tasks-module-options.interface.js';
export { BackgroundTasksTester, type ApplicationLike, type RecordedTaskFilter } from './background-tasks-tester.js';
export type { RecordedTask, RecordedTaskStatus } from './recorded-task.interface.js';
