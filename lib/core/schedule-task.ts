import { CLASS_AS_TASK, NOT_A_FUNCTION } from './background-tasks.messages.js';
import { ScheduledTask } from './scheduled-task.js';
import { THREAD_TASK, type ThreadTaskMark } from './thread-task.mark.js';
import type { TaskBatch } from './task-batch.js';
import { checkDependencyEdges } from './task-dependencies.js';
import type { ScheduledTaskHandle } from './task-handle.js';
import type { ResolvedTaskOptions } from './task-options.resolver.js';

/**
 * A class constructor, which throws when called without `new`. Arrow functions, methods and async
 * functions have no `prototype`, plain functions a writable one: only classes (and built-in
 * constructors) pay for reading the source's first word.
 */
function isClass(fn: object): boolean {
  try {
    if ((fn as { prototype?: unknown }).prototype === undefined) return false;
    if (Object.getOwnPropertyDescriptor(fn, 'prototype')?.writable !== false) return false;
    return /^class\b/.test(Function.prototype.toString.call(fn));
  } catch {
    return false; // a Proxy whose traps throw: left to fail when it runs, like any task
  }
}

/**
 * What every `addTask` variant does: check the function at the call site, hand it to the batch, and
 * return its handle.
 */
export function scheduleTask(
  batch: TaskBatch,
  method: string,
  fn: unknown,
  args: readonly unknown[],
  options: ResolvedTaskOptions,
  name: string | undefined,
  passSignal: boolean,
): ScheduledTaskHandle {
  if (typeof fn !== 'function') throw new TypeError(NOT_A_FUNCTION(method, fn));
  if (isClass(fn)) throw new TypeError(CLASS_AS_TASK(method));
  const task = fn as (...args: never[]) => unknown;
  // A `@BackgroundTask` method is known by its identity: it gets its provider as `this`, its handler
  // name as default task name, and may leave for a worker.
  const handlers = batch.runner.handlers;
  const handler = handlers?.find(task);
  // A `defineThreadTask` function is named by its export and runs in the worker-thread pool; without the
  // module's pool (a bare runner in a unit test) it runs here like any function.
  const thread = (task as { [THREAD_TASK]?: ThreadTaskMark })[THREAD_TASK];
  const scheduled = new ScheduledTask(task, args, name ?? handler?.name ?? thread?.exportName, options, passSignal, name !== undefined);
  if (handler !== undefined) handlers?.route(scheduled, handler, method);
  if (thread !== undefined) batch.runner.threads?.route(scheduled, thread, method);
  scheduled.handle.bind(batch.runner, scheduled.durable !== undefined);
  if (options.after !== undefined) checkDependencyEdges(scheduled, () => batch.toArray(), method);
  batch.add(scheduled);
  return scheduled.handle;
}
