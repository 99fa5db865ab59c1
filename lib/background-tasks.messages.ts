/** Describes a value by its kind only: task arguments and misused values may hold secrets. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    if (typeof (value as { then?: unknown }).then === 'function') {
      return `a ${name || 'thenable'} (did you call the task instead of passing it?)`;
    }
    return name ? `an object (${name})` : 'an object';
  }
  return `a ${typeof value}`;
}

export const NOT_A_FUNCTION = (method: string, value: unknown) =>
  `${method} expects a function as its first argument, but received ${describeValue(value)}.`;

export const INVALID_OPTION = (option: string, expected: string, value: unknown) =>
  `BackgroundTasksModule option "${option}" must be ${expected}, but received ${describeValue(value)}${
    typeof value === 'number' ? ` (${value})` : ''
  }.`;

export const TASK_FAILED = (task: string, request: string) => `Task "${task}" of ${request} failed`;

export const TASKS_DROPPED = (count: number, request: string) =>
  `Dropped ${count} task(s) of ${request}: the handler threw (add them with runOn 'always' to keep them)`;

export const TASK_ABANDONED = (task: string, request: string, running: boolean) =>
  `Task "${task}" of ${request} abandoned at the drain deadline ${running ? 'while running' : 'before it started'}`;

export const TASK_AFTER_SHUTDOWN = (task: string, request: string) =>
  `Task "${task}" of ${request} was added after the application shut down and will not run`;

export const DRAINING = (count: number, timeout: number) =>
  `Shutting down: waiting up to ${timeout} ms for ${count} background task(s)`;

export const DRAINED = 'All background tasks finished before shutdown';
