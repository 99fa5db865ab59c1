import type { ScheduledTask } from '../runner/scheduled-task.js';
import type { TaskHandler } from './task-handler.interface.js';

/** What `addTask` asks of the app's handler registry. */
export interface TaskHandlerLookup {
  find(fn: (...args: never[]) => unknown): TaskHandler | undefined;
  route(task: ScheduledTask, handler: TaskHandler, method: string): void;
}

/**
 * Runner -> the registry of the same app. `addTask` reaches the runner through its batch; keeping the
 * registry here (rather than injecting it into `BackgroundTasks`) leaves the facade and its factory as
 * they are. Weak keys: an app that is gone takes its entry with it.
 */
const lookups = new WeakMap<object, TaskHandlerLookup>();

export function registerHandlerLookup(runner: object, lookup: TaskHandlerLookup): void {
  lookups.set(runner, lookup);
}

export function handlerLookupOf(runner: object): TaskHandlerLookup | undefined {
  return lookups.get(runner);
}
