import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { describePattern } from '../core/describe-request.js';
import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';
import { TaskRunner } from '../runner/task-runner.js';
import { batchForCarrier } from './background-tasks.providers.js';
import { ContextTaskBatch } from './context-task-batch.js';
import { trackOutcome } from './handler-outcome.js';
import { HttpTaskBatch } from './http-task-batch.js';
import { handleAsMessage } from './message-handling.js';
import { MessageTaskBatch } from './message-task-batch.js';
import { carrierOfContext } from './request-carrier.js';
import { responseOfContext } from './response-of-context.js';
import { findBatch } from './task-batch.registry.js';
import { takesTasksParameter } from './tasks.decorator.js';

/** `WS <event>` / `RPC <pattern>`: what log lines and hooks call one message. */
function describeMessage(context: ExecutionContext, type: string): TaskRequestInfo {
  if (type === 'ws') {
    const ws = context.switchToWs() as { getPattern?: () => unknown };
    return { method: 'WS', route: describePattern(ws.getPattern?.() ?? 'message') };
  }
  const rpc = context.switchToRpc().getContext<{ getPattern?: () => unknown } | undefined>();
  return { method: 'RPC', route: describePattern(rpc?.getPattern?.() ?? 'message') };
}

/**
 * Tells a request's batch how its handler ended and arms the wait for the response to be sent. A
 * singleton with no request-scoped dependencies: handlers that never inject `BackgroundTasks` pay one
 * property lookup here and nothing else.
 *
 * - HTTP routes and GraphQL resolvers: one batch per HTTP request, released once its response has been
 *   sent and every handler (every resolver, for GraphQL) has ended.
 * - RPC and WebSocket messages: a batch per message (see `handleAsMessage`), because a gateway's
 *   instance lives as long as its connection.
 *
 * @publicApi
 */
@Injectable()
export class BackgroundTasksInterceptor implements NestInterceptor {
  /** @internal */
  constructor(private readonly runner: TaskRunner) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const carrier = carrierOfContext(context);
    let batch = findBatch(carrier);
    if (batch === undefined) {
      if (!takesTasksParameter(context)) return next.handle();
      // `@Tasks()` resolves while the handler's arguments are built, after this point: open it now.
      batch = batchForCarrier(this.runner, carrier, context.getType() === 'http' ? context.getArgByIndex(0) : undefined);
    }
    const type = context.getType<string>();
    if ((type === 'rpc' || type === 'ws') && batch instanceof ContextTaskBatch) {
      const message = new MessageTaskBatch(this.runner, describeMessage(context, type));
      return handleAsMessage(batch, message, next);
    }
    if (batch instanceof HttpTaskBatch) batch.enter(responseOfContext(context));
    else batch.enter();
    return next.handle().pipe(trackOutcome(batch));
  }
}
