import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { BackgroundTasks } from '../background-tasks.service.js';
import { tasksOfBatch } from '../background-tasks.factory.js';
import { carrierOfContext } from '../completion/request-carrier.js';
import { findBatch } from '../task-batch.registry.js';

/** Controller class -> names of its handlers that take a `@Tasks()` parameter. */
const handlersByClass = new WeakMap<object, Set<string | symbol>>();

/**
 * Whether the handler about to run takes a `@Tasks()` parameter: the interceptor then opens the
 * request's batch itself. Two WeakMap lookups on routes of other controllers.
 */
export function takesTasksParameter(context: ExecutionContext): boolean {
  const handlers = handlersByClass.get(context.getClass());
  return handlers !== undefined && handlers.has(context.getHandler().name);
}

const tasksParameter = createParamDecorator(
  (_data: unknown, context: ExecutionContext): BackgroundTasks => {
    const batch = findBatch(carrierOfContext(context));
    if (batch === undefined) {
      throw new Error(
        '@Tasks() found no background-task batch for this request: import BackgroundTasksModule.forRoot() ' +
          '(its interceptor opens the batch) and keep it global or imported where this controller lives.',
      );
    }
    return tasksOfBatch(batch);
  },
  [
    (target: object, key: string | symbol | undefined) => {
      if (key === undefined) return;
      const owner = (target as { constructor: object }).constructor;
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
