export { BackgroundTasksModule } from './background-tasks.module.js';
export { BackgroundTasks } from './background-tasks.service.js';
export type { BackgroundTasksModuleOptions } from './interfaces/background-tasks-module-options.interface.js';
