import { Inject, Injectable, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { ANONYMOUS_TASK_NAME } from './background-tasks.constants.js';
import { NOT_A_FUNCTION } from './background-tasks.messages.js';
import { carrierOfRequest } from './completion/request-carrier.js';
import { TaskBatch } from './runner/task-batch.js';
import { TaskRunner } from './runner/task-runner.js';
import { registerBatch } from './task-batch.registry.js';

function taskName(fn: (...args: never[]) => unknown): string {
  const name = fn.name.startsWith('bound ') ? fn.name.slice(6) : fn.name;
  return name || ANONYMOUS_TASK_NAME;
}

/**
 * Work to do after the response has been sent, like FastAPI's `BackgroundTasks`. Request-scoped: every
 * controller and service that injects it during one request receives the same instance.
 *
 * @publicApi
 */
@Injectable({ scope: Scope.REQUEST })
export class BackgroundTasks {
  // Plain properties, not #private: instrumentation may hand consumers a Proxy of this instance.
  private readonly batch: TaskBatch;

  constructor(@Inject(REQUEST) request: unknown, runner: TaskRunner) {
    const carrier = carrierOfRequest(request);
    this.batch = new TaskBatch(runner, carrier, request);
    if (carrier !== undefined) registerBatch(carrier, this.batch);
  }

  /**
   * Records `fn(...args)` to run once the response has been sent. Tasks of a request run one after
   * another, in the order added; a failing task is logged and does not stop the others.
   *
   * @throws TypeError when `fn` is not a function.
   */
  addTask<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    if (typeof fn !== 'function') {
      throw new TypeError(NOT_A_FUNCTION('BackgroundTasks.addTask()', fn));
    }
    this.batch.add({ fn: fn as (...args: never[]) => unknown, args, name: taskName(fn) });
  }
}
