import type { ScheduledTask } from './scheduled-task.js';
import type { TaskHandler } from './task-handler.interface.js';

/** What `addTask` asks of the app's handler registry. */
export interface TaskHandlerLookup {
  find(fn: (...args: never[]) => unknown): TaskHandler | undefined;
  route(task: ScheduledTask, handler: TaskHandler, method: string): void;
}
