import { TaskBatch } from '../core/task-batch.js';
import type { TaskBatchHost } from '../core/task-batch-host.interface.js';
import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';

/**
 * The tasks of one RPC or WebSocket message: released once its reply has been handed to the transport
 * (`replySent`, see `handleAsMessage`) and its handler has ended. Its log lines and hooks name the message
 * as `{ method: 'WS', route: '<event>' }` or `{ method: 'RPC', route: '<pattern>' }`, never its payload.
 */
export class MessageTaskBatch extends TaskBatch {
  constructor(
    runner: TaskBatchHost<TaskBatch>,
    private readonly message: TaskRequestInfo,
  ) {
    super(runner, false);
  }

  /** The message's reply has been handed to the transport, or the client went away first. */
  replySent(aborted: boolean): void {
    // Already a turn after the reply (message-handling.ts): released at once.
    this.settleResponse(aborted, false);
    this.releaseWhenReady();
  }

  protected override readRequestInfo(): TaskRequestInfo {
    return this.message;
  }
}
