import { ANONYMOUS_TASK_NAME } from './background-tasks.constants.js';

/** A task's name from its function: a bound function's name is `bound fn`, and the task is still `fn`. */
export function taskNameOf(fn: (...args: never[]) => unknown): string {
  const name = fn.name.startsWith('bound ') ? fn.name.slice(6) : fn.name;
  return name || ANONYMOUS_TASK_NAME;
}
