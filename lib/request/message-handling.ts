import type { CallHandler } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { ContextTaskBatch } from './context-task-batch.js';
import type { MessageTaskBatch } from './message-task-batch.js';
import { runInMessage } from './message-scope.js';

/**
 * Runs one RPC or WebSocket message's handler as `segment`, a batch of its own under the carrier's
 * `owner` batch: the handler is built and subscribed inside the message's async context, so every
 * `addTask` it makes (after awaits too) lands in this message's batch.
 *
 * The reply has left one macrotask after the handler's observable ended: Nest writes a WebSocket reply
 * synchronously in `next`, and an RPC reply on `process.nextTick` after the observable ends. An
 * unsubscribe before the end means the client went away (the socket closed).
 */
export function handleAsMessage(owner: ContextTaskBatch, segment: MessageTaskBatch, next: CallHandler): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    let ended = false;
    const end = (failed: boolean, aborted: boolean) => {
      if (ended) return;
      ended = true;
      segment.exit(failed ? 'error' : 'success');
      setImmediate(() => segment.replySent(aborted));
    };
    segment.enter();
    owner.splitByMessage();
    const subscription = runInMessage(owner, segment, () =>
      next.handle().subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          end(true, false);
          subscriber.error(error);
        },
        complete: () => {
          end(false, false);
          subscriber.complete();
        },
      }),
    );
    return () => {
      subscription.unsubscribe();
      end(false, true);
    };
  });
}
