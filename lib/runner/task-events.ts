import { Logger } from '@nestjs/common';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import type { DrainInfo } from '../interfaces/drain-info.interface.js';
import type { TaskEndInfo, TaskInfo } from '../interfaces/task-info.interface.js';
import { describeError } from '../core/describe-error.js';
import { isThenable } from '../core/is-thenable.js';
import { quoteName } from '../core/quote-name.js';

type Listener<T> = (info: T) => void | Promise<void>;

interface Registered<T> {
  readonly hook: string;
  readonly listener: Listener<T>;
}

/**
 * Listeners of task additions, starts and ends, and of the shutdown drain. A listener that throws or
 * rejects is logged and never disturbs the task, the other listeners, or the process. Each kind has its
 * own `observes*` flag so the runner can skip building the event when nobody listens.
 */
export class TaskEvents {
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  private readonly addListeners: Registered<TaskInfo>[] = [];
  private readonly startListeners: Registered<TaskInfo>[] = [];
  private readonly endListeners: Registered<TaskEndInfo>[] = [];
  private readonly drainListeners: Registered<DrainInfo>[] = [];
  // Kept as flags, read for every task: the runner then touches this object only, not the lists.
  private observesStartOrEnd = false;
  private observesAddition = false;

  /** A task was accepted (`attempt` is 0: it has not started). */
  onAdd(listener: Listener<TaskInfo>, hook = 'task add'): void {
    this.addListeners.push({ hook, listener });
    this.observesAddition = true;
  }

  onStart(listener: Listener<TaskInfo>, hook = 'task start'): void {
    this.startListeners.push({ hook, listener });
    this.observesStartOrEnd = true;
  }

  onEnd(listener: Listener<TaskEndInfo>, hook = 'task end'): void {
    this.endListeners.push({ hook, listener });
    this.observesStartOrEnd = true;
  }

  onDrain(listener: Listener<DrainInfo>, hook = 'drain'): void {
    this.drainListeners.push({ hook, listener });
  }

  /** Someone listens to starts or ends. */
  get observed(): boolean {
    return this.observesStartOrEnd;
  }

  get observesAdd(): boolean {
    return this.observesAddition;
  }

  emitAdd(info: TaskInfo): void {
    for (const { hook, listener } of this.addListeners) this.call(hook, listener, info);
  }

  emitStart(info: TaskInfo): void {
    for (const { hook, listener } of this.startListeners) this.call(hook, listener, info);
  }

  emitEnd(info: TaskEndInfo): void {
    for (const { hook, listener } of this.endListeners) this.call(hook, listener, info);
  }

  emitDrain(info: DrainInfo): void {
    for (const { hook, listener } of this.drainListeners) this.call(hook, listener, info);
  }

  /** Runs a user hook; whatever it throws or rejects with ends up in the log, tagged with the task's name. */
  call<T extends object>(hook: string, listener: Listener<T>, info: T): void {
    const fail = (error: unknown) => {
      const { message, stack } = describeError(error);
      const name = (info as { name?: unknown }).name;
      const subject = typeof name === 'string' ? ` for task ${quoteName(name)}` : '';
      try {
        this.logger.error(`The ${hook} hook threw${subject}: ${message}`, stack);
      } catch {
        // The app's logger threw: nothing is left to tell, and it must not reach the task or the process.
      }
    };
    try {
      const result = listener(info);
      if (isThenable(result)) result.then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  }
}
