import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { NO_RUNNER_FOR_TASKS_PARAMETER } from '../core/background-tasks.messages.js';
import type { TaskBatch } from '../core/task-batch.js';
import { TaskRunner } from '../runner/task-runner.js';
import { openBatch, tasksOfBatch } from './request-batches.js';
import type { BackgroundTasks } from './background-tasks.service.js';
import { HttpTaskBatch } from './http-task-batch.js';
import { carrierOfContext } from './request-carrier.js';
import { nodeResponseOf } from './response-of-context.js';
import { findBatch } from './task-batch.registry.js';

/** Controller class -> names of its handlers that take a `@Tasks()` parameter. */
const handlersByClass = new Map<Function, Set<string | symbol>>();

/** The classes with a handler that takes a `@Tasks()` parameter. */
export function classesTakingTasksParameter(): Function[] {
  return [...handlersByClass.keys()];
}

/**
 * Whether the handler about to run takes a `@Tasks()` parameter: the interceptor then opens the
 * request's batch itself. Two WeakMap lookups on routes of other controllers.
 */
export function takesTasksParameter(context: ExecutionContext): boolean {
  const handlers = handlersByClass.get(context.getClass());
  return handlers !== undefined && handlers.has(context.getHandler().name);
}

/**
 * No interceptor ran for this handler (`globalInterceptor: false`): the parameter opens the batch, and on
 * HTTP hands it the response to wait for, whose status then says how the handler went.
 */
function openHandlerBatch(context: ExecutionContext, carrier: object | undefined): TaskBatch {
  const http = context.getType() === 'http';
  const request: unknown = context.getArgByIndex(0);
  const runner = TaskRunner.ofRequest(http ? request : undefined);
  if (runner === undefined) throw new Error(NO_RUNNER_FOR_TASKS_PARAMETER);
  const batch = openBatch(runner, carrier, http ? request : undefined);
  if (batch instanceof HttpTaskBatch) batch.watchResponse(nodeResponseOf(context.getArgByIndex(1)));
  return batch;
}

const tasksParameter = createParamDecorator(
  (_data: unknown, context: ExecutionContext): BackgroundTasks => {
    const carrier = carrierOfContext(context);
    return tasksOfBatch(findBatch(carrier) ?? openHandlerBatch(context, carrier));
  },
  [
    (target: object, key: string | symbol | undefined) => {
      if (key === undefined) return;
      const owner = (target as { constructor: Function }).constructor;
      const handlers = handlersByClass.get(owner) ?? new Set<string | symbol>();
      handlers.add(key);
      handlersByClass.set(owner, handlers);
    },
  ],
);

/**
 * The request's `BackgroundTasks` as a handler parameter, without making the controller request-scoped:
 * the fast way in. It is the same instance that providers injecting `BackgroundTasks` get in that request.
 *
 * ```ts
 * @Post('signup')
 * signup(@Body() body: SignupDto, @Tasks() tasks: BackgroundTasks) {
 *   tasks.addTask(sendWelcomeEmail, body.email);
 * }
 * ```
 *
 * @publicApi
 */
export function Tasks(): ParameterDecorator {
  return tasksParameter();
}
