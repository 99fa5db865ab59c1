import type { ResolvedBackgroundTasksOptions } from './module-options.resolver.js';
import type { TaskEvents } from './task-events.js';

/**
 * Subscribes the module's `onTaskStart`, `onTaskEnd` and `onDrain` options. Only given hooks are
 * subscribed, so without them the runner does not even build the start event. `TaskEvents` guards each
 * call: a hook that throws or rejects is logged with its name and changes nothing else.
 */
export function wireLifecycleHooks(events: TaskEvents, options: ResolvedBackgroundTasksOptions): void {
  if (options.onTaskStart) events.onStart(options.onTaskStart, 'onTaskStart');
  if (options.onTaskEnd) events.onEnd(options.onTaskEnd, 'onTaskEnd');
  if (options.onDrain) events.onDrain(options.onDrain, 'onDrain');
}
