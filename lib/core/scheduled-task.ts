import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { TaskEndInfo, TaskInfo, TaskOutcome, TaskRequestInfo } from '../interfaces/task-info.interface.js';
import type { DurableRoute } from './durable-route.interface.js';
import type { ThreadTaskRoute } from './thread-task-route.interface.js';
import { nextTaskSeq, taskIdOf } from './task-id.js';
import { ScheduledTaskHandle } from './task-handle.js';
import { taskNameOf } from './task-name.js';
import type { ResolvedTaskOptions } from './task-options.resolver.js';


/**
 * One task from `addTask` to its outcome. Internal: it holds the arguments, which nothing outside the
 * runner may see (logs and hooks get `TaskInfo`). It is itself the `AsyncResource` that keeps the async
 * context (AsyncLocalStorage stores) of the `addTask` call, one object per task instead of two.
 */
export class ScheduledTask extends AsyncResource {
  // Every field is set in the constructor, even to undefined: one hidden class for all tasks keeps the
  // runner's property accesses monomorphic.
  /** Set when the task has an outcome; guarantees each task is accounted for exactly once. */
  outcome?: TaskOutcome = undefined;
  attempt = 0;
  startedAt?: number = undefined;
  /** The current attempt's signal source, for `addAbortableTask` tasks only. */
  controller?: AbortController = undefined;
  /** Ends the current attempt or backoff pause now (drain deadline), aborting its signal if it has one. */
  interrupt?: (reason: unknown) => void = undefined;
  /** `this` for the call: the provider of a `@BackgroundTask` handler (a method reference loses it). */
  thisArg?: object = undefined;
  /** Set when the task leaves for a BullMQ worker at release instead of running here. */
  durable?: DurableRoute<ScheduledTask> = undefined;
  /** Set when the function is a thread task (`defineThreadTask`): each attempt runs in the pool. */
  thread?: ThreadTaskRoute<ScheduledTask> = undefined;
  /** Between attempts: the next one waits for its backoff (a task's status says `retrying`). */
  retrying = false;
  /** What `addTask` returns: the id and name, and the outcome once known (dependents wait on it). */
  readonly handle: ScheduledTaskHandle;
  /** The number in the id: status tracking keys its slots by it (a number, not a string to hash). */
  readonly seq = nextTaskSeq();

  constructor(
    /**
     * The function and its arguments: read by the testing kit's record mode and the durable producer
     * (the job's payload), never by logs or hooks.
     */
    readonly fn: (...args: never[]) => unknown,
    readonly args: readonly unknown[],
    /** The task's name when known at `addTask` (explicit, or a handler's); else the function's, on first use. */
    private givenName: string | undefined,
    readonly options: ResolvedTaskOptions,
    /** `addAbortableTask`: the attempt's AbortSignal goes first. */
    readonly passSignal: boolean,
    /** The name came from the caller, not from the function: dedupe applies. */
    readonly namedExplicitly: boolean,
  ) {
    // An AsyncResource rather than AsyncLocalStorage.snapshot(): snapshot() goes through
    // AsyncResource.bind, which builds a deprecation wrapper per call (a sixth of a no-op task's cost).
    super('BackgroundTask');
    this.handle = new ScheduledTaskHandle(taskIdOf(this.seq), this.name);
  }

  get id(): string {
    return this.handle.id;
  }

  /** The name logs, hooks and dedupe use: read only when one of them needs it. */
  get name(): string {
    return (this.givenName ??= taskNameOf(this.fn));
  }

  get started(): boolean {
    return this.attempt > 0;
  }

  get ended(): boolean {
    return this.outcome !== undefined;
  }

  /** Calls the function once in the caller's async context, as it is: it may throw or return anything. */
  call(): unknown {
    return this.runInAsyncScope(this.fn as (...args: unknown[]) => unknown, this.thisArg, ...this.args);
  }

  /**
   * Runs one attempt in the caller's async context; a sync throw becomes a rejection. `around` (tracing)
   * wraps the call inside that context, so it sees the request's context and can add its own.
   */
  invoke(signal: AbortSignal | undefined, around?: <R>(run: () => R) => R): Promise<unknown> {
    const call = this.fn as (...args: unknown[]) => unknown;
    const args = this.passSignal ? [signal, ...this.args] : this.args;
    const thread = this.thread;
    // A thread task always has a signal (the runner gives it one): it ends the attempt in the thread.
    const invoke = thread ? () => thread.runInThread(this, signal as AbortSignal) : () => Reflect.apply(call, this.thisArg, args);
    const run = around ? () => around(invoke) : invoke;
    return new Promise((resolve) => resolve(this.runInAsyncScope(run)));
  }

  info(request: TaskRequestInfo | undefined): TaskInfo {
    const { after } = this.options;
    const info = { id: this.handle.id, name: this.name, attempt: this.attempt, maxAttempts: this.options.retries + 1, request };
    return after === undefined ? info : { ...info, after: after.map((handle) => handle.id) };
  }

  /** From the first attempt's start until now, in ms; 0 for a task that never started. */
  durationMs(): number {
    return this.startedAt === undefined ? 0 : performance.now() - this.startedAt;
  }

  endInfo(
    request: TaskRequestInfo | undefined,
    outcome: TaskOutcome,
    extra: { reason?: string; error?: unknown; result?: unknown } = {},
    durationMs = this.durationMs(),
  ): TaskEndInfo {
    const { reason, error } = extra;
    return { ...this.info(request), outcome, durationMs, ...(reason === undefined ? {} : { reason }), ...('error' in extra ? { error } : {}) };
  }
}
