import { Injectable, Optional, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { describePattern } from '../core/describe-request.js';
import type { TaskBatch } from '../core/task-batch.js';
import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';
import { TaskRunner } from '../runner/task-runner.js';
import { batchForCarrier } from './request-batches.js';
import { ContextTaskBatch } from './context-task-batch.js';
import { trackOutcome } from './handler-outcome.js';
import { HttpTaskBatch } from './http-task-batch.js';
import { handleAsMessage } from './message-handling.js';
import { MessageTaskBatch } from './message-task-batch.js';
import { carrierOfContext } from './request-carrier.js';
import { currentRequest, runInRequest } from './request-scope.js';
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
 * Tells a request's batch how its handler ended and arms the wait for the response to be sent. It holds
 * no per-app state of its own (the batch leads to its runner), so one instance can serve every app: the
 * one the module attaches to the handlers that can add tasks (`TaskCallSitesExplorer`). Handlers that
 * never touch `BackgroundTasks` pay one property lookup here.
 *
 * - HTTP routes and GraphQL resolvers: one batch per HTTP request, released once its response has been
 *   sent and every handler (every resolver, for GraphQL) has ended.
 * - RPC and WebSocket messages: a batch per message (see `handleAsMessage`), because a gateway's
 *   instance lives as long as its connection.
 * - Under `requestScoped: false` it opens the batch itself and runs the handler inside the request scope
 *   where the singleton `BackgroundTasks` finds it.
 *
 * @publicApi
 */
@Injectable()
export class BackgroundTasksInterceptor implements NestInterceptor {
  /** @internal */
  constructor(@Optional() private readonly runner?: TaskRunner) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const carrier = carrierOfContext(context);
    const type = context.getType<string>();
    let batch = findBatch(carrier);
    if (batch === undefined) {
      const request: unknown = type === 'http' ? context.getArgByIndex(0) : undefined;
      const runner = this.runner ?? TaskRunner.ofRequest(request);
      // `@Tasks()` resolves while the handler's arguments are built, after this point: open it now.
      if (runner === undefined || (runner.requestScoped && !takesTasksParameter(context))) return next.handle();
      batch = batchForCarrier(runner, carrier, request);
    }
    const scoped = !batch.runner.requestScoped;
    if ((type === 'rpc' || type === 'ws') && batch instanceof ContextTaskBatch) {
      const message = new MessageTaskBatch(batch.runner, describeMessage(context, type));
      return scoped ? inRequest(batch, () => handleAsMessage(batch, message, next)) : handleAsMessage(batch, message, next);
    }
    if (batch instanceof HttpTaskBatch) batch.enter(responseOfContext(context), frameworkRequestOf(context, type));
    else batch.enter();
    const tracked = batch;
    // An HTTP request's scope was entered before any middleware (`RequestScopeHook`); anything else's here.
    if (scoped && currentRequest() === undefined) return inRequest(tracked, () => next.handle().pipe(trackOutcome(tracked)));
    return next.handle().pipe(trackOutcome(tracked));
  }
}

/** What knows the route pattern: the framework's request (HTTP), or the operation's context (GraphQL). */
function frameworkRequestOf(context: ExecutionContext, type: string): object | undefined {
  return type === 'http' ? context.getArgByIndex(0) : type === 'graphql' ? context.getArgByIndex(2) : undefined;
}

/** The interceptor the module attaches to the classes whose handlers can add tasks: one for every app. */
export const callSiteInterceptor = new BackgroundTasksInterceptor();

/** Subscribes to the observable `build` returns inside the request scope of `batch` (built there too). */
function inRequest(batch: TaskBatch, build: () => Observable<unknown>): Observable<unknown> {
  return new Observable<unknown>((subscriber) => runInRequest(batch, () => build().subscribe(subscriber)));
}
