import { Logger } from '@nestjs/common';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../background-tasks.constants.js';
import type { TaskEndInfo, TaskInfo } from '../interfaces/task-info.interface.js';
import { describeError } from './describe-error.js';

type Listener<T> = (info: T) => void | Promise<void>;

/**
 * Listeners of task starts and ends. A listener that throws or rejects is logged and never disturbs the
 * task, the other listeners, or the process.
 */
export class TaskEvents {
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  private readonly startListeners: Listener<TaskInfo>[] = [];
  private readonly endListeners: Listener<TaskEndInfo>[] = [];

  onStart(listener: Listener<TaskInfo>): void {
    this.startListeners.push(listener);
  }

  onEnd(listener: Listener<TaskEndInfo>): void {
    this.endListeners.push(listener);
  }

  get observed(): boolean {
    return this.startListeners.length > 0 || this.endListeners.length > 0;
  }

  emitStart(info: TaskInfo): void {
    for (const listener of this.startListeners) this.call('task start', listener, info);
  }

  emitEnd(info: TaskEndInfo): void {
    for (const listener of this.endListeners) this.call('task end', listener, info);
  }

  /** Runs a user hook; whatever it throws or rejects with ends up in the log, tagged with the task's name. */
  call<T extends { name: string }>(hook: string, listener: Listener<T>, info: T): void {
    const fail = (error: unknown) => {
      const { message, stack } = describeError(error);
      this.logger.error(`The ${hook} hook threw for task "${info.name}": ${message}`, stack);
    };
    try {
      const result = listener(info);
      if (result && typeof (result as Promise<void>).then === 'function') (result as Promise<void>).then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  }
}
