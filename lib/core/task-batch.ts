import type { PendingTask } from '../interfaces/pending-task.interface.js';
import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';
import type { BatchPhase, HandlerOutcome, HandlerState } from './batch-phase.js';
import type { BusySlot } from './busy-batches.js';
import { describeRequest } from './describe-request.js';
import { FifoQueue } from './fifo-queue.js';
import { groupBy, whyNotRun } from './run-policy.js';
import { RunningTasks } from './running-tasks.js';
import type { ScheduledTask } from './scheduled-task.js';
import { ABANDONED_PENDING, ABANDONED_RUNNING, type TaskBatchHost } from './task-batch-host.interface.js';
import type { TaskOwner } from './task-owner.interface.js';
import { RUNAWAY_TASKS, takeTurnShare } from './turn-budget.js';

/**
 * The tasks of one request, message or connection, whatever the transport. They wait until the handler
 * has ended and the response has been sent, then run `concurrency` at a time (1: in the order added).
 * Every task leaves with an outcome recorded by the host. Subclasses say how the response is known to be
 * sent (`HttpTaskBatch`, `MessageTaskBatch`) or that there is none to wait for (`ContextTaskBatch`).
 *
 * The batch is itself the queue of its pending tasks (it extends `FifoQueue`): one object per request.
 */
export abstract class TaskBatch extends FifoQueue<ScheduledTask> implements BusySlot, TaskOwner {
  // Every field is set in the constructor, even to undefined, for one hidden class.
  /** Its slot in the host's busy set (see `BusyBatches`), -1 while it has no work. */
  busySlot = -1;
  /** The one `BackgroundTasks` that every way in (DI, `@Tasks()`) hands out for this batch. */
  facade?: object = undefined;
  protected phase: BatchPhase = 'collecting';
  /** The response (or reply) has been sent, or the client went away first. */
  protected responseDone: boolean;
  private handler: HandlerState = 'unseen';
  private handlersOpen = 0;
  private clientAborted = false;
  /** The response's status was >= 400: the word on the handler when no interceptor saw it. */
  private statusFailed = false;
  private hasRunOnError = false;
  /** Durable tasks pushed since the last dispatch (some may have been cancelled since): 0 skips the scan. */
  private durableQueued = 0;
  /** Tasks whose function has returned a promise not settled yet (made on the first: most tasks are sync). */
  private running?: RunningTasks = undefined;
  /** Tasks being called synchronously right now (a task that adds a task must not overtake it). */
  private calling = 0;
  /** Tasks started (a runaway chain is warned about once); a pump waiting for the next turn. */
  private started = 0;
  private pumpDeferred = false;
  private info?: TaskRequestInfo | null = undefined;

  /** `responseDone`: no response to wait for (tasks run at once). */
  constructor(readonly runner: TaskBatchHost<TaskBatch>, responseDone: boolean) {
    super();
    this.responseDone = responseDone;
  }

  /** Released, or about to be at the end of this turn: its response is gone either way. */
  get released(): boolean { return this.phase === 'released' || this.phase === 'releasing'; }

  /** Tasks pending or running. */
  get size(): number {
    return this.length + this.calling + (this.running?.size ?? 0);
  }

  get hasWork(): boolean {
    return this.size > 0;
  }

  /** Method and route of the request, for hooks; computed once, on first use. */
  requestInfo(): TaskRequestInfo | undefined {
    if (this.info === undefined) this.info = this.readRequestInfo() ?? null;
    return this.info ?? undefined;
  }

  /** `METHOD /route` for log lines. */
  describe(): string {
    return describeRequest(this.requestInfo());
  }

  /** Tasks not started yet, in order. */
  pending(): readonly PendingTask[] {
    return Object.freeze(this.toArray().map((task) => Object.freeze({ id: task.id, name: task.name, runOn: task.options.runOn })));
  }

  add(task: ScheduledTask): void {
    if (!this.runner.admit(task, this)) return;
    if (this.phase === 'abandoned') return this.runner.end(task, this, 'abandoned', ABANDONED_PENDING);
    if (task.namedExplicitly && task.options.dedupe) this.removePending(task.name, 'replaced');
    if (this.phase === 'released') {
      const reason = this.dropReason(task);
      if (reason !== undefined) return this.drop([task], reason);
    }
    this.push(task);
    if (task.options.runOn === 'error') this.hasRunOnError = true;
    if (task.durable !== undefined) this.durableQueued++;
    if (this.phase === 'released') {
      this.runner.markBusy(this);
      this.pump();
      return;
    }
    this.waitForResponse();
    // A batch whose response is still to be looked at joins the busy set at that look, if work is left.
    if (!this.awaitsLook) this.runner.markBusy(this);
    this.releaseWhenReady();
  }

  /** Removes pending tasks of that name; returns how many. */
  cancel(name: string): number {
    const removed = this.removePending(name, 'cancelled');
    if (removed > 0) this.runner.markChanged(this);
    return removed;
  }

  /** A running task ended while its function still runs (cancelled by id): the next one takes its place. */
  letGo(task: ScheduledTask): void {
    if (this.running?.delete(task)) this.pump();
  }

  /** An interceptor starts handling the request. */
  enter(): void {
    this.handlersOpen++;
    if (this.handler === 'unseen') this.handler = 'entered';
  }

  /** The interceptor saw the handler end. */
  exit(outcome: HandlerOutcome): void {
    this.handlersOpen--;
    if (outcome === 'error') this.handler = 'failed';
    this.releaseWhenReady();
  }

  /** Stops the batch for good: running tasks are aborted, and every task left is ended as abandoned. */
  abandon(): void {
    this.phase = 'abandoned';
    const running = this.running?.clear() ?? [];
    const pending = this.clear();
    for (const task of running) {
      task.interrupt?.(new DOMException('Abandoned at the drain deadline', 'AbortError'));
      this.runner.end(task, this, 'abandoned', task.started ? ABANDONED_RUNNING : ABANDONED_PENDING);
    }
    for (const task of pending) this.runner.end(task, this, 'abandoned', ABANDONED_PENDING);
  }

  /** Method and route of what this batch belongs to; read once. */
  protected abstract readRequestInfo(): TaskRequestInfo | undefined;

  /** A task waits for the first time: start watching for the response if nothing does yet. */
  protected waitForResponse(): void {}

  /** Whether the response is to be looked at at the end of this turn (HTTP): the look marks it busy. */
  protected get awaitsLook(): boolean {
    return false;
  }

  /** Drops the batch's hold on its request once tasks run past the response (see `HttpTaskBatch`). */
  protected letGoOfRequest(): void {}

  /** The one place where a response (or reply) is known to be done, and whether the client left first. */
  protected settleResponse(aborted: boolean, statusFailed: boolean): void {
    this.responseDone = true;
    this.clientAborted = aborted;
    this.statusFailed = statusFailed;
  }

  /** Still to be released, with tasks waiting, the response done and no handler still running. */
  protected readyToRelease(): boolean {
    return (this.phase === 'collecting' || this.phase === 'releasing') && this.responseDone && this.handlersOpen <= 0 && this.length > 0;
  }

  protected releaseWhenReady(): void {
    if (!this.readyToRelease()) return;
    this.phase = 'released';
    // Only a failed handler, a client gone, or a runOn 'error' task can make a task not run.
    if (this.handlerFailed() || this.clientAborted || this.hasRunOnError) this.dropWhatMustNotRun();
    this.pump();
  }

  private removePending(name: string, reason: 'replaced' | 'cancelled'): number {
    const removed = this.removeWhere((task) => task.name === name);
    for (const task of removed) this.runner.end(task, this, 'cancelled', { reason });
    return removed.length;
  }

  /** Without an interceptor run (a guard rejected, or it ran before the batch), the status code says. */
  private handlerFailed(): boolean {
    return this.handler === 'unseen' ? this.statusFailed : this.handler === 'failed';
  }

  private dropReason(task: ScheduledTask): string | undefined {
    return whyNotRun(task, { handlerFailed: this.handlerFailed(), clientAborted: this.clientAborted });
  }

  private drop(tasks: ScheduledTask[], reason: string): void {
    this.runner.reportDropped(tasks.length, this, reason);
    for (const task of tasks) this.runner.end(task, this, 'dropped', { reason });
  }

  private dropWhatMustNotRun(): void {
    const removed = this.removeWhere((task) => this.dropReason(task) !== undefined);
    for (const [reason, tasks] of groupBy(removed, (task) => this.dropReason(task) as string)) this.drop(tasks, reason);
  }

  private pump(): void {
    this.dispatchDurable();
    const limit = this.runner.options.concurrency;
    while (this.phase !== 'abandoned' && this.calling + (this.running?.size ?? 0) < limit && this.length > 0) {
      if (!takeTurnShare()) return this.pumpNextTurn();
      if (++this.started === RUNAWAY_TASKS) this.runner.reportRunaway(this, RUNAWAY_TASKS);
      const task = this.shift() as ScheduledTask;
      this.calling++;
      let pending: Promise<void> | undefined;
      try {
        pending = this.runner.execute(task, this);
      } finally {
        this.calling--;
      }
      if (pending === undefined) continue;
      const running = (this.running ??= new RunningTasks());
      running.add(task);
      void pending.then(() => {
        running.delete(task);
        this.pump();
      });
    }
    // A batch is pumped only once released: its response is gone, so work still to do must not hold it.
    if (this.hasWork) this.letGoOfRequest();
    else this.runner.markChanged(this);
  }

  /** This turn's budget of task starts is spent (see `turn-budget.ts`): go on after the I/O. */
  private pumpNextTurn(): void {
    if (this.pumpDeferred) return;
    this.pumpDeferred = true;
    setImmediate(() => ((this.pumpDeferred = false), this.pump()));
  }

  /** Durable tasks leave together, one enqueue (one Redis round trip) per release; they count as running
   * until the enqueue has given each its outcome, so the drain waits for it. */
  private dispatchDurable(): void {
    if (this.durableQueued === 0 || this.phase === 'abandoned' || this.runner.runsDurableInProcess) return;
    this.durableQueued = 0;
    const leaving = this.removeWhere((task) => task.durable !== undefined);
    if (leaving.length === 0) return;
    const running = (this.running ??= new RunningTasks());
    for (const task of leaving) running.add(task);
    void leaving[0].durable!.dispatcher.dispatch(leaving, this).then(() => {
      for (const task of leaving) running.delete(task);
      this.pump();
    });
  }
}
