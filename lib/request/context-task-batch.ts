import type { PendingTask } from '../interfaces/pending-task.interface.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import { TaskBatch } from '../core/task-batch.js';
import type { TaskBatchHost } from '../core/task-batch-host.interface.js';
import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';
import { currentMessageOf } from './message-scope.js';
import { requestInfoOf } from './request-carrier.js';

/**
 * The tasks of something with no response to wait for: a WebSocket connection or an RPC context outside
 * a message's handler (a guard, `handleConnection`), whose tasks run at once, or no request at all
 * (bootstrap, a cron job), whose tasks run soon: after the current turn of the event loop, never inside
 * `addTask` itself. Once its messages are handled (`splitByMessage`), a task added inside a message's
 * handler belongs to that message's batch instead (`MessageTaskBatch`).
 */
export class ContextTaskBatch extends TaskBatch {
  private messagesSplit = false;
  /** Outside any request: whether a release is scheduled for the end of this turn. */
  private turnScheduled = false;

  constructor(
    runner: TaskBatchHost<TaskBatch>,
    private readonly carrier: object | undefined,
    private readonly request?: unknown,
  ) {
    super(runner, carrier !== undefined);
  }

  /** Messages of this carrier are handled as batches of their own from now on (`handleAsMessage`). */
  splitByMessage(): void {
    this.messagesSplit = true;
  }

  override add(task: ScheduledTask): void {
    const message = this.currentMessage();
    if (message !== undefined) return message.add(task);
    // Outside a request, a batch that ran everything waits for the end of a turn again.
    if (this.carrier === undefined && this.phase === 'released' && !this.hasWork) {
      this.phase = 'collecting';
      this.responseDone = false;
    }
    super.add(task);
  }

  override cancel(name: string): number {
    return this.currentMessage()?.cancel(name) ?? super.cancel(name);
  }

  override pending(): readonly PendingTask[] {
    return this.currentMessage()?.pending() ?? super.pending();
  }

  protected override readRequestInfo(): TaskRequestInfo | undefined {
    return requestInfoOf(this.carrier, this.request);
  }

  protected override waitForResponse(): void {
    if (this.responseDone || this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      this.settleResponse(false, false);
      this.releaseWhenReady();
    });
  }

  /** The batch of the message being handled now, when this carrier's messages have batches of their own. */
  private currentMessage(): TaskBatch | undefined {
    return this.messagesSplit ? currentMessageOf(this) : undefined;
  }
}
