import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { trackOutcome } from './completion/handler-outcome.js';
import { handleAsMessage } from './completion/message-handling.js';
import { MessageRequest } from './completion/message-request.js';
import { carrierOfContext, describePattern } from './completion/request-carrier.js';
import { responseOfContext } from './completion/response-of-context.js';
import { TaskBatch } from './runner/task-batch.js';
import { TaskRunner } from './runner/task-runner.js';
import { findBatch } from './task-batch.registry.js';
import { batchForCarrier } from './background-tasks.factory.js';
import { takesTasksParameter } from './decorators/tasks.decorator.js';

/** `WS <event>` / `RPC <pattern>`: what log lines and hooks call one message. */
function describeMessage(context: ExecutionContext, type: string): MessageRequest {
  if (type === 'ws') {
    const ws = context.switchToWs() as { getPattern?: () => unknown };
    return new MessageRequest({ method: 'WS', route: describePattern(ws.getPattern?.() ?? 'message') });
  }
  const rpc = context.switchToRpc().getContext<{ getPattern?: () => unknown } | undefined>();
  return new MessageRequest({ method: 'RPC', route: describePattern(rpc?.getPattern?.() ?? 'message') });
}

/**
 * Tells a request's batch how its handler ended and arms the wait for the response to be sent. A
 * singleton with no request-scoped dependencies: handlers that never inject `BackgroundTasks` pay one
 * WeakMap lookup here and nothing else.
 *
 * - HTTP routes and GraphQL resolvers: one batch per HTTP request, released once its response has been
 *   sent and every handler (every resolver, for GraphQL) has ended.
 * - RPC and WebSocket messages: a batch per message (see `handleAsMessage`), because a gateway's
 *   instance lives as long as its connection.
 */
@Injectable()
export class BackgroundTasksInterceptor implements NestInterceptor {
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
    if (type === 'rpc' || type === 'ws') {
      const message = new TaskBatch(this.runner, carrier, describeMessage(context, type));
      message.awaitReply();
      return handleAsMessage(batch, message, next);
    }
    batch.enter(responseOfContext(context));
    return next.handle().pipe(trackOutcome(batch));
  }
}
