import { ANONYMOUS_TASK_NAME } from './background-tasks.constants.js';

/**
 * The last function named and its name. A function's `name` is a native accessor, one of the dearer
 * reads of an `addTask`, and a call site adds the same function request after request. It holds one
 * function, the one most recently added without an explicit name.
 */
let lastFn: unknown;
let lastName = ANONYMOUS_TASK_NAME;

/**
 * A task's name from its function: a bound function's name is `bound fn`, and the task is still `fn`.
 * A `name` that is not a string, or whose getter throws, gives the anonymous name: never a throw.
 */
export function taskNameOf(fn: (...args: never[]) => unknown): string {
  if (fn === lastFn) return lastName;
  let name: unknown;
  try {
    name = fn.name;
  } catch {
    return ANONYMOUS_TASK_NAME;
  }
  if (typeof name !== 'string') return ANONYMOUS_TASK_NAME;
  lastFn = fn;
  lastName = (name.startsWith('bound ') ? name.slice(6) : name) || ANONYMOUS_TASK_NAME;
  return lastName;
}
