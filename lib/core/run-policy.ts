import type { ScheduledTask } from './scheduled-task.js';

/** How the request went, as far as its tasks' `runOn` and `onClientAbort` care. */
export interface RequestFate {
  readonly handlerFailed: boolean;
  readonly clientAborted: boolean;
}

/** Why a task must not run, given how its request went; undefined when it runs. */
export function whyNotRun(task: ScheduledTask, fate: RequestFate): string | undefined {
  const { runOn, onClientAbort } = task.options;
  if (fate.handlerFailed) {
    if (runOn === 'success') return "the handler threw (runOn 'success')";
  } else if (runOn === 'error') {
    return "the handler did not throw (runOn 'error')";
  }
  if (fate.clientAborted && onClientAbort === 'drop') return "the client went away (onClientAbort 'drop')";
  return undefined;
}

/** `items` grouped by `key`, groups and items in their first order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
