import { Injectable, Logger } from '@nestjs/common';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { BackgroundTasksQueueFullError } from '../core/background-tasks-queue-full.error.js';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import { describeValue } from '../core/background-tasks.messages.js';
import { cloneProblem } from '../core/clone-arguments.check.js';
import { describeError } from '../core/describe-error.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { ThreadTaskDispatcher } from '../core/thread-task-route.interface.js';
import { threadTaskMarkOf, type ThreadTaskMark } from '../core/thread-task.mark.js';
import { TaskRunner } from '../runner/task-runner.js';
import type { ThreadAbortMessage, ThreadRespawnRequest, ThreadTaskRequest } from './thread-task-request.interface.js';
import { NOT_CLONEABLE, POOL_CLOSED, POOL_ERROR } from './thread-task.messages.js';
import { settleOutcome, type ThreadTaskOutcome } from './thread-task.outcome.js';
import { threadWorkerEntry } from './thread-worker.location.js';

/** A no-op request: piscina starts a thread for it, in place of a terminated one, while tasks wait. */
const RESPAWN: ThreadRespawnRequest = { respawn: true };

/** The abort reason as the thread's signal gets it: name and message of a DOMException or Error. */
function abortMessage(reason: unknown): ThreadAbortMessage {
  const { name, message } = (reason ?? {}) as { name?: unknown; message?: unknown };
  return {
    name: typeof name === 'string' ? name : 'AbortError',
    message: typeof message === 'string' ? message : 'This operation was aborted',
  };
}

/**
 * The app's pool of worker threads (piscina) for `defineThreadTask` functions, started with the first
 * thread task and destroyed at the end of the shutdown drain. `addTask` routes thread tasks here (the
 * runner then runs each attempt through `runInThread`); `run` and `runAbortable` let code that must wait
 * for the result (a durable `@BackgroundTask` handler on a worker) run a thread task directly.
 *
 * @publicApi
 */
@Injectable()
export class ThreadTaskPool implements ThreadTaskDispatcher<ScheduledTask> {
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  private pool?: Piscina = undefined;
  private closed = false;

  constructor(private readonly runner: TaskRunner) {
    runner.useThreads(this);
  }

  /** Threads running now (0 before the first thread task and once idle threads have exited). */
  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  /** Thread tasks waiting for a free thread. */
  get queued(): number {
    return this.pool?.queueSize ?? 0;
  }

  /**
   * Runs the thread task `task(...args)` in the pool and resolves with what it returns (structured-cloned
   * back), or rejects with what it throws (an Error with the thread's name, message, stack and code).
   *
   * @throws TypeError when `task` is not a `defineThreadTask` function or an argument cannot be cloned.
   */
  run<A extends unknown[], R>(task: (...args: A) => R, ...args: A): Promise<Awaited<R>> {
    const mark = this.check('ThreadTaskPool.run()', task, args);
    return this.dispatch(mark, args, false, undefined, true) as Promise<Awaited<R>>;
  }

  /**
   * Like `run`, for a thread task that takes an `AbortSignal` first: when `signal` fires, the thread's
   * own signal fires, and the thread is terminated if the task has not stopped within
   * `threads.abortGracePeriod`.
   */
  runAbortable<A extends unknown[], R>(task: (signal: AbortSignal, ...args: A) => R, signal: AbortSignal, ...args: A): Promise<Awaited<R>> {
    const mark = this.check('ThreadTaskPool.runAbortable()', task, args);
    if (!(signal instanceof AbortSignal)) {
      throw new TypeError(`ThreadTaskPool.runAbortable() expects an AbortSignal as its second argument, but received ${describeValue(signal)}.`);
    }
    return this.dispatch(mark, args, true, signal, true) as Promise<Awaited<R>>;
  }

  /** @internal `addTask` received a thread task: check it now, at the call site, and route it here. */
  route(task: ScheduledTask, _mark: ThreadTaskMark, method: string): void {
    const problem = cloneProblem(task.args);
    if (problem !== undefined) throw new TypeError(NOT_CLONEABLE(method, task.name, problem));
    const { maxQueue } = this.runner.options.threads;
    if (this.pool !== undefined && this.pool.queueSize >= maxQueue && this.runner.options.onQueueFull === 'reject') {
      throw new BackgroundTasksQueueFullError(task.name, maxQueue, 'threads.maxQueue');
    }
    task.thread = this;
  }

  /** @internal One attempt of a routed task. */
  runInThread(task: ScheduledTask, signal: AbortSignal): Promise<unknown> {
    return this.dispatch(threadTaskMarkOf(task.fn) as ThreadTaskMark, task.args, task.passSignal, signal, false, task.name);
  }

  /** @internal Terminates every thread; thread tasks still running fail. Called at the end of the drain. */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }

  private check(method: string, task: unknown, args: readonly unknown[]): ThreadTaskMark {
    const mark = threadTaskMarkOf(task);
    if (mark === undefined) {
      throw new TypeError(`${method} expects a thread task (made by defineThreadTask()), but received ${describeValue(task)}.`);
    }
    const problem = cloneProblem(args);
    if (problem !== undefined) throw new TypeError(NOT_CLONEABLE(method, mark.exportName, problem));
    return mark;
  }

  /**
   * Sends one attempt to the pool. When `signal` fires, the thread's signal fires (through a port), and
   * after the grace period piscina terminates the thread (and starts another when needed), or drops the
   * attempt from its queue if it never started.
   */
  private dispatch(
    mark: ThreadTaskMark,
    args: readonly unknown[],
    passSignal: boolean,
    signal: AbortSignal | undefined,
    wantsResult: boolean,
    name = mark.exportName,
  ): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error(POOL_CLOSED(name)));
    const pool = (this.pool ??= this.start());
    const { port1, port2 } = new MessageChannel();
    const terminate = new AbortController();
    let grace: NodeJS.Timeout | undefined;
    const onAbort = () => {
      port1.postMessage(abortMessage(signal?.reason));
      grace = setTimeout(() => {
        terminate.abort(signal?.reason); // piscina terminates the thread (or drops the attempt from its queue)
        if (pool.queueSize > 0 && !this.closed) void pool.run(RESPAWN).catch(() => undefined);
      }, this.runner.options.threads.abortGracePeriod);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const request: ThreadTaskRequest = { module: mark.module, exportName: mark.exportName, args, passSignal, wantsResult, port: port2 };
    const done = () => {
      clearTimeout(grace);
      signal?.removeEventListener('abort', onAbort);
      port1.close();
    };
    return pool.run(request, { signal: terminate.signal, transferList: [port2] }).then(
      (outcome: ThreadTaskOutcome) => {
        done();
        return settleOutcome(outcome);
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  }

  private start(): Piscina {
    const { maxThreads, idleTimeout } = this.runner.options.threads;
    const pool = new Piscina({ filename: threadWorkerEntry(), minThreads: 0, maxThreads, idleTimeout, maxQueue: Infinity });
    // An error of the pool itself (not of a task, which rejects its own run): logged, never thrown.
    pool.on('error', (error: unknown) => this.logger.error(POOL_ERROR(describeError(error).message), describeError(error).stack));
    return pool;
  }
}
