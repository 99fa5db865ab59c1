import { isThenable } from './is-thenable.js';
import { showNumber } from './option-checks.js';
import { quoteName } from './quote-name.js';

/** Describes a value by its kind only: task arguments and misused values may hold secrets. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    if (isThenable(value)) {
      return `a ${name || 'thenable'} (did you call the task instead of passing it?)`;
    }
    return name ? `an object (${name})` : 'an object';
  }
  return `a ${typeof value}`;
}

export const NOT_A_FUNCTION = (method: string, value: unknown) =>
  `${method} expects a function as its first argument, but received ${describeValue(value)}.`;

export const CLASS_AS_TASK = (method: string) =>
  `${method} expects a function as its first argument, but received a class constructor, which cannot be called ` +
  'without new: pass a function that creates and uses the instance, or a method of an instance.';

export const INVALID_OPTION = (option: string, expected: string, value: unknown) =>
  `BackgroundTasksModule option "${option}" must be ${expected}, but received ${describeValue(value)}${
    typeof value === 'number' ? ` (${showNumber(value)})` : ''
  }.`;

/** A duration for a log line: tenths below 10 ms, whole ms above. */
export const formatMs = (ms: number) => `${ms < 10 ? Math.round(ms * 10) / 10 : Math.round(ms)} ms`;

export const TASK_STARTED = (task: string, request: string, attempt: number, max: number) =>
  `Task ${quoteName(task)} of ${request} started (attempt ${attempt} of ${max})`;

export const TASK_SUCCEEDED = (task: string, request: string, ms: number, attempt: number, max: number) =>
  `Task ${quoteName(task)} of ${request} succeeded in ${formatMs(ms)} (attempt ${attempt} of ${max})`;

export const TASK_FAILED = (task: string, request: string, attempts: number, ms: number) =>
  `Task ${quoteName(task)} of ${request} failed after ${attempts} attempt${attempts === 1 ? '' : 's'} in ${formatMs(ms)}`;

export const TASK_TIMED_OUT = (task: string, request: string, timeout: number, attempt: number, max: number, ms: number) =>
  `Task ${quoteName(task)} of ${request} timed out after ${timeout} ms (attempt ${attempt} of ${max}, ${formatMs(ms)} in all)`;

export const TASK_RETRYING = (task: string, request: string, attempt: number, max: number, ms: number, delay: number) =>
  `Task ${quoteName(task)} of ${request} failed on attempt ${attempt} of ${max} (${formatMs(ms)} in all), retrying in ${delay} ms`;

export const TASKS_DROPPED = (count: number, request: string, reason: string) =>
  `Dropped ${count} task(s) of ${request}: ${reason}`;

export const TASKS_RUNAWAY = (count: number, request: string) =>
  `${request} has started ${count} background tasks: does a task keep adding itself? They go on running, ` +
  'a share per turn of the event loop';

export const TASK_REPLACED = (task: string, request: string) =>
  `Task ${quoteName(task)} of ${request} was replaced by a newer task of the same name`;

export const TASK_CANCELLED_BY_ID = (task: string, request: string, running: boolean) =>
  `Task ${quoteName(task)} of ${request} cancelled by id ${running ? 'while running (its attempt is interrupted)' : 'before it started'}`;

/** `reason` names the dependency (quoted) and its outcome. */
export const TASK_DEPENDENCY_DROPPED = (task: string, request: string, reason: string) =>
  `Task ${quoteName(task)} of ${request} dropped: ${reason}`;

export const TASK_ABANDONED = (task: string, request: string, running: boolean) =>
  `Task ${quoteName(task)} of ${request} abandoned at the drain deadline ${running ? 'while running' : 'before it started'}`;

export const TASK_AFTER_SHUTDOWN = (task: string, request: string) =>
  `Task ${quoteName(task)} of ${request} was added after the application shut down and will not run`;

export const TASK_AFTER_DEADLINE = (task: string, request: string) =>
  `Task ${quoteName(task)} of ${request} was added after the drain deadline and will not run`;

export const DRAINING = (count: number, timeout: number) =>
  `Shutting down: waiting up to ${timeout} ms for ${count} background task(s)`;

export const DRAINED = 'All background tasks finished before shutdown';

export const NO_RUNNER_FOR_TASKS_PARAMETER =
  '@Tasks() found no background-task batch for this request and cannot tell which application it belongs ' +
  'to: import BackgroundTasksModule.forRoot() (global, or imported where this controller lives), or keep ' +
  'its global interceptor on when several applications share this process.';

export const REQUEST_SCOPE_TRAP = (provider: string, chain: readonly string[], never: readonly string[]) =>
  `${provider} is request-scoped because it injects BackgroundTasks (${chain.join(' -> ')}), so Nest never calls its ` +
  `${never.join(', ')}. Use BackgroundTasksModule.forRoot({ requestScoped: false }) (BackgroundTasks becomes a ` +
  `singleton), or take the tasks as a @Tasks() parameter in the controller instead of injecting them here.`;

export const TASKS_WITHOUT_REQUEST =
  'BackgroundTasks was built without a request (moduleRef.resolve() or app.resolve() with a context id Nest has no ' +
  'request for): its tasks run at the end of the current turn, not after a response. Outside a request (bootstrap, ' +
  'a script, a test) that is expected. Inside one, take the tasks with @Tasks(), use BackgroundTasksModule.forRoot(' +
  '{ requestScoped: false }), or call moduleRef.registerRequestByContextId(request, contextId) before resolve(). ' +
  'Said once per application.';

export const FIELD_RESOLVERS_UNSEEN = (methods: readonly string[]) =>
  `GraphQL field resolvers run without interceptors (${methods.join(', ')}): one that throws does not drop ` +
  `its operation's background tasks. Set GraphQLModule.forRoot({ fieldResolverEnhancers: ['interceptors'] }).`;

export const LOOP_BLOCKED = (task: string, request: string, ms: number, threshold: number, timeout: number) =>
  `Task ${quoteName(task)} of ${request} blocked the event loop for ${formatMs(ms)} (synchronous run; ` +
  `loopBlockWarning: ${threshold} ms): every other request and task waited meanwhile.` +
  (timeout > 0 && ms > timeout
    ? ` It overran its timeout of ${timeout} ms, which cannot interrupt synchronous code: it ends timed-out once it returns.`
    : '') +
  ' Run it in a worker thread (defineThreadTask), or split it with awaits. Said once per task name.';

export const LOOP_BLOCK_WARNINGS_CAPPED = (count: number) =>
  `${count} task names have been warned about for blocking the event loop: no more such warnings are given.`;
