import { ScheduledTask } from '../../lib/core/scheduled-task.js';
import { resolveTaskDefaults } from '../../lib/core/task-options.resolver.js';

/** A task with the module's default options, as `addTask(fn, ...args)` would schedule it, named `name`. */
export function plainTask(name: string, fn: (...args: never[]) => unknown, ...args: unknown[]): ScheduledTask {
  return new ScheduledTask(fn, args, name, resolveTaskDefaults(undefined), false, false);
}
