import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { tap, type Observable } from 'rxjs';
import { carrierOfContext } from './completion/request-carrier.js';
import type { TaskBatch } from './runner/task-batch.js';
import { findBatch } from './task-batch.registry.js';

function nodeResponseOf(context: ExecutionContext): ServerResponse | undefined {
  const response = context.switchToHttp().getResponse<{ raw?: ServerResponse } & ServerResponse>();
  return response?.raw ?? response;
}

function trackOutcome<T>(batch: TaskBatch) {
  let settled = false;
  const settle = (failed: boolean) => {
    if (settled) return;
    settled = true;
    batch.exit(failed ? 'error' : 'success');
  };
  return tap<T>({
    complete: () => settle(false),
    error: () => settle(true),
    // The client went away and Nest unsubscribed an Observable handler: it did not fail.
    unsubscribe: () => settle(false),
  });
}

/**
 * Tells a request's batch how its handler ended and arms the wait for the response to be sent. A
 * singleton with no request-scoped dependencies: routes that never inject `BackgroundTasks` pay one
 * WeakMap lookup here and nothing else.
 */
@Injectable()
export class BackgroundTasksInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const batch = findBatch(carrierOfContext(context));
    if (batch === undefined) return next.handle();
    batch.enter(context.getType() === 'http' ? nodeResponseOf(context) : undefined);
    return next.handle().pipe(trackOutcome(batch));
  }
}
