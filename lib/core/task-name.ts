import { ANONYMOUS_TASK_NAME } from './background-tasks.constants.js';

/**
 * A task's name from its function: a bound function's name is `bound fn`, and the task is still `fn`.
 * A `name` that is not a string, or whose getter throws, gives the anonymous name: never a throw.
 */
export function taskNameOf(fn: (...args: never[]) => unknown): string {
  let name: unknown;
  try {
    name = fn.name;
  } catch {
    return ANONYMOUS_TASK_NAME;
  }
  if (typeof name !== 'string') return ANONYMOUS_TASK_NAME;
  return (name.startsWith('bound ') ? name.slice(6) : name) || ANONYMOUS_TASK_NAME;
}
