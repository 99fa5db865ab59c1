import { ANONYMOUS_TASK_NAME } from '../background-tasks.constants.js';
import { NOT_A_FUNCTION } from '../background-tasks.messages.js';
import { handlerLookupOf } from '../durable/task-handler.lookup.js';
import { ScheduledTask } from './scheduled-task.js';
import type { TaskBatch } from './task-batch.js';
import type { ResolvedTaskOptions } from './task-options.resolver.js';

/** A bound function's name is `bound fn`; the task is still `fn`. */
export function taskNameOf(fn: (...args: never[]) => unknown): string {
  const name = fn.name.startsWith('bound ') ? fn.name.slice(6) : fn.name;
  return name || ANONYMOUS_TASK_NAME;
}

/** What every `addTask` variant does: check the function at the call site, then hand it to the batch. */
export function scheduleTask(
  batch: TaskBatch,
  method: string,
  fn: unknown,
  args: readonly unknown[],
  options: ResolvedTaskOptions,
  name: string | undefined,
  passSignal: boolean,
): void {
  if (typeof fn !== 'function') throw new TypeError(NOT_A_FUNCTION(method, fn));
  const task = fn as (...args: never[]) => unknown;
  // A `@BackgroundTask` method is known by its identity: it gets its provider as `this`, its handler
  // name as default task name, and may leave for a worker.
  const handlers = handlerLookupOf(batch.runner);
  const handler = handlers?.find(task);
  const scheduled = new ScheduledTask(task, args, name ?? handler?.name ?? taskNameOf(task), options, passSignal, name !== undefined);
  if (handler !== undefined) handlers?.route(scheduled, handler, method);
  batch.add(scheduled);
}
