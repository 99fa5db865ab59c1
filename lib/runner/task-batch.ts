import { IncomingMessage, type ServerResponse } from 'node:http';
import { TASKS_DROPPED } from '../background-tasks.messages.js';
import { currentMessageOf } from '../completion/message-scope.js';
import { responseCloseWatcher, type ResponseCloseTarget } from '../completion/on-response-close.js';
import { describeRequest, requestInfoOf, responseOfCarrier } from '../completion/request-carrier.js';
import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';
import type { BackgroundTasks } from '../background-tasks.service.js';
import type { DurableRoute } from '../durable/durable-route.js';
import type { RunOn } from '../interfaces/task-options.interface.js';
import type { BusySlot } from './busy-batches.js';
import { FifoQueue } from './fifo-queue.js';
import { RunningTasks } from './running-tasks.js';
import type { ScheduledTask } from './scheduled-task.js';
import type { TaskRunner } from './task-runner.js';
import { findBatch } from '../task-batch.registry.js';

/** A batch is kept on its Node request, so its response's `close` can find it there (no closure each). */
const watchResponseClose = responseCloseWatcher(findBatch);

// Flags of `TaskBatch.state`: one number instead of a dozen booleans, in an object made per request.
/** An interceptor ran for the handler: its outcome, not the status code, says whether it failed. */
const HANDLER_ENTERED = 1 << 0;
const HANDLER_FAILED = 1 << 1;
const RESPONSE_WATCHED = 1 << 2;
const REQUEST_WATCHED = 1 << 3;
/** The response (or reply) has been sent, or the client went away first. */
const RESPONSE_DONE = 1 << 4;
const CLIENT_ABORTED = 1 << 5;
const RUN_ON_ERROR_QUEUED = 1 << 6;
/** The response's status was >= 400. */
const STATUS_FAILED = 1 << 7;
const RELEASED = 1 << 8;
/** The response has closed and the release waits for the end of this turn (`DeferredReleases`). */
const RELEASE_DEFERRED = 1 << 9;
const ABANDONED = 1 << 10;
/** A connection's or RPC context's batch whose messages each have a batch of their own (`handleAsMessage`). */
const SPLIT_BY_MESSAGE = 1 << 11;

/** How the handler of a request ended, as the interceptor saw it. */
export type HandlerOutcome = 'success' | 'error';

/**
 * A task waiting in a request's batch, as `tasks.pending` shows it.
 *
 * @publicApi
 */
export interface PendingTask {
  readonly name: string;
  readonly runOn: RunOn;
}

/**
 * The tasks of one request. They wait until the handler has ended and the response has been sent (both
 * known: see `releaseWhenReady`), then run `concurrency` at a time (1: one after another, in the order
 * added). Tasks added after that run too, as the batch's queue is pumped again. Every task leaves with an
 * outcome recorded by the runner.
 *
 * The batch is itself the queue of its pending tasks (it extends `FifoQueue`): one object per request
 * instead of two, on the path every request with a task takes.
 */
export class TaskBatch extends FifoQueue<ScheduledTask> implements ResponseCloseTarget, BusySlot {
  // Every field is set in the constructor, even to undefined, for one hidden class (see ScheduledTask).
  /** Its slot in the runner's busy set (see `BusyBatches`), -1 while it has no work. */
  busySlot = -1;
  /** The one `BackgroundTasks` that every way in (DI, `@Tasks()`) hands out for this batch. */
  facade?: BackgroundTasks = undefined;
  /** Durable tasks pushed since the last dispatch (some may have been cancelled since): 0 skips the scan. */
  private durableQueued = 0;
  /** Tasks whose function has returned a promise not settled yet (made on the first: most tasks are sync). */
  private running?: RunningTasks = undefined;
  /** Tasks being called synchronously right now (a task that adds a task must not overtake it). */
  private calling = 0;
  private handlersOpen = 0;
  /** What the batch knows of its request and of itself: the flags below, one bit each. */
  private state = 0;
  private info?: TaskRequestInfo | null = undefined;
  /** The response to look at at the end of this turn (`watchResponse` says why); dropped once looked at. */
  private response?: ServerResponse = undefined;

  constructor(
    readonly runner: TaskRunner,
    private carrier: object | undefined,
    private request?: unknown,
  ) {
    super();
    // Only an HTTP request has a response to wait for. Outside a request (no carrier), and on an RPC
    // message or WebSocket connection outside a handler (a guard, `handleConnection`), tasks run at once;
    // a message's own batch waits for its reply (`awaitReply`).
    if (!(carrier instanceof IncomingMessage)) this.state = RESPONSE_DONE;
  }

  /** Released, or about to be at the end of this turn: its response is gone either way. */
  get released(): boolean {
    return (this.state & (RELEASED | RELEASE_DEFERRED)) !== 0;
  }

  /** Tasks pending or running. */
  get size(): number {
    return this.length + this.calling + (this.running?.size ?? 0);
  }

  get hasWork(): boolean {
    return this.size > 0;
  }

  /** Method and route of the request, for hooks; computed once, on first use. */
  requestInfo(): TaskRequestInfo | undefined {
    if (this.info === undefined) this.info = requestInfoOf(this.carrier, this.request) ?? null;
    return this.info ?? undefined;
  }

  /** `METHOD /route` for log lines. */
  describe(): string {
    return describeRequest(this.requestInfo());
  }

  /** Tasks not started yet, in order. */
  pending(): readonly PendingTask[] {
    const message = this.currentMessage();
    if (message !== undefined) return message.pending();
    return Object.freeze(this.toArray().map((task) => Object.freeze({ name: task.name, runOn: task.options.runOn })));
  }

  add(task: ScheduledTask): void {
    // Inside a message's handler (RPC, WebSocket) the task belongs to that message, not to the carrier.
    const message = this.currentMessage();
    if (message !== undefined) return message.add(task);
    if (!this.runner.admit(task, this)) return;
    if (task.namedExplicitly && task.options.dedupe) this.removePending(task.name, 'replaced');
    if (this.is(RELEASED)) {
      const reason = this.dropReason(task);
      if (reason !== undefined) {
        this.drop([task], reason);
        return;
      }
    }
    this.push(task);
    if (task.options.runOn === 'error') this.state |= RUN_ON_ERROR_QUEUED;
    if (task.durable !== undefined) this.durableQueued++;
    if (this.is(RELEASED)) {
      this.runner.markBusy(this);
      this.pump();
      return;
    }
    this.watchCarrier();
    // A batch whose response is still to be looked at is known to the runner through `DeferredReleases`
    // until then, and joins the busy set there if work is left (`checkResponse`): a request whose tasks
    // all end in that look never touches the busy set, where it used to join before the write.
    if (!this.awaitsLook) this.runner.markBusy(this);
    this.releaseWhenReady();
  }

  /** Its response is to be looked at at the end of this turn (`watchResponse`); it sits in `DeferredReleases`. */
  get awaitsLook(): boolean {
    return this.response !== undefined;
  }

  /** Removes pending tasks of that name; returns how many. */
  cancel(name: string): number {
    const message = this.currentMessage();
    if (message !== undefined) return message.cancel(name);
    const removed = this.removePending(name, 'cancelled');
    if (removed > 0) this.runner.markChanged(this);
    return removed;
  }

  /** Messages of this carrier are handled as batches of their own from now on (`handleAsMessage`). */
  splitByMessage(): void {
    this.state |= SPLIT_BY_MESSAGE;
  }

  /** The interceptor starts handling the request; `response` is where the reply goes, if HTTP. */
  enter(response?: ServerResponse): void {
    this.handlersOpen++;
    this.state |= HANDLER_ENTERED;
    this.watchResponse(response);
  }

  /** The interceptor saw the handler end. */
  exit(outcome: HandlerOutcome): void {
    this.handlersOpen--;
    if (outcome === 'error') this.state |= HANDLER_FAILED;
    this.releaseWhenReady();
  }

  /** This batch is one message's (RPC, WebSocket): it waits for `replySent` as HTTP waits for `finish`. */
  awaitReply(): void {
    this.state &= ~RESPONSE_DONE;
  }

  /** The message's reply has been handed to the transport, or the client went away first. */
  replySent(aborted: boolean): void {
    // Already a turn after the reply (message-handling.ts): released at once.
    this.settleResponse(aborted, false);
    this.releaseWhenReady();
  }

  /** Stops the batch for good: running tasks are aborted, and every task left is ended as abandoned. */
  abandon(): void {
    this.state |= ABANDONED;
    const running = this.running?.clear() ?? [];
    const pending = this.clear();
    for (const task of running) {
      task.interrupt?.(new DOMException('Abandoned at the drain deadline', 'AbortError'));
      this.runner.end(task, this, 'abandoned');
    }
    for (const task of pending) this.runner.end(task, this, 'abandoned');
  }

  /** Whether any of `flags` is set in `state`. */
  private is(flags: number): boolean {
    return (this.state & flags) !== 0;
  }

  /** The batch of the message being handled now, when this carrier's messages have batches of their own. */
  private currentMessage(): TaskBatch | undefined {
    // An HTTP request never has messages: it skips the async-context lookup.
    return this.is(SPLIT_BY_MESSAGE) ? currentMessageOf(this) : undefined;
  }

  private removePending(name: string, reason: 'replaced' | 'cancelled'): number {
    const removed = this.removeWhere((task) => task.name === name);
    for (const task of removed) this.runner.end(task, this, 'cancelled', { reason });
    return removed.length;
  }

  private handlerFailed(): boolean {
    // Without an interceptor run (a guard rejected, or the batch was created after the interceptor had
    // looked), the status code is the only word on how the request went.
    return this.is(HANDLER_ENTERED) ? this.is(HANDLER_FAILED) : this.is(STATUS_FAILED);
  }

  /** Why a task must not run, given how the request went; undefined when it runs. */
  private dropReason(task: ScheduledTask): string | undefined {
    const { runOn, onClientAbort } = task.options;
    if (this.handlerFailed()) {
      if (runOn === 'success') return "the handler threw (runOn 'success')";
    } else if (runOn === 'error') {
      return "the handler did not throw (runOn 'error')";
    }
    if (this.is(CLIENT_ABORTED) && onClientAbort === 'drop') return "the client went away (onClientAbort 'drop')";
    return undefined;
  }

  private drop(tasks: ScheduledTask[], reason: string): void {
    this.runner.reportDropped(tasks.length, this, reason);
    for (const task of tasks) this.runner.end(task, this, 'dropped', { reason });
  }

  /**
   * Waits for `response` to be sent. Without an interceptor run (`@Tasks()` under `globalInterceptor:
   * false`, a guard) its status then says how the handler went.
   *
   * The response is looked at once this turn's I/O is done (`DeferredReleases`), not watched now: a
   * handler that answers at once has its response written in this same turn, so that look finds it
   * sent, and no `close` listener is armed or called at all: less work between the handler and the
   * write (BENCHMARKS.md, finding 8). A response still in flight then gets its `close` listener.
   */
  watchResponse(response: ServerResponse | undefined): void {
    if (this.is(RESPONSE_WATCHED) || response === undefined) return;
    this.state |= RESPONSE_WATCHED;
    // The testing kit's inline mode watches the response its own way (it holds the last bytes).
    const seam = this.runner.testSeam;
    if (seam) {
      seam.watchResponse(response, this, (aborted) => this.responseClosed(aborted, response.statusCode >= 400));
      return;
    }
    this.response = response;
    this.runner.releaseAtTurnEnd(this);
  }

  /**
   * The HTTP response has closed. Its tasks start at the end of this turn of the event loop, together with
   * those of the other responses of the turn (`DeferredReleases` says why).
   */
  responseClosed(aborted: boolean, statusFailed: boolean): void {
    this.settleResponse(aborted, statusFailed);
    if (this.is(RELEASE_DEFERRED) || !this.readyToRelease()) return;
    this.state |= RELEASE_DEFERRED;
    this.runner.releaseAtTurnEnd(this);
  }

  /** `DeferredReleases` calls back: the turn in which the batch learned of its response, or it closed, is over. */
  release(): void {
    if (this.response !== undefined) {
      this.checkResponse(this.response);
      return;
    }
    this.state &= ~RELEASE_DEFERRED;
    this.releaseWhenReady();
  }

  /**
   * Sent (`writableFinished`: every byte handed to the socket) or destroyed first: settled now, as its
   * `close` would have settled it. Still being written (a slow client, a handler that has not answered):
   * its `close` will tell.
   */
  private checkResponse(response: ServerResponse): void {
    this.response = undefined;
    if (response.writableFinished || response.destroyed) {
      this.settleResponse(!response.writableFinished, response.statusCode >= 400);
      this.releaseWhenReady();
    } else {
      watchResponseClose(response, this);
    }
    // Tasks added while the look was pending skipped the busy set (`add`); those left now must be in it.
    if (this.hasWork) this.runner.markBusy(this);
  }

  /** The one place where a response (or reply) is known to be done, and whether the client left first. */
  private settleResponse(aborted: boolean, statusFailed: boolean): void {
    this.state =
      (this.state & ~(CLIENT_ABORTED | STATUS_FAILED)) |
      RESPONSE_DONE |
      (aborted ? CLIENT_ABORTED : 0) |
      (statusFailed ? STATUS_FAILED : 0);
  }

  /**
   * Tasks added before any interceptor ran (a guard, middleware, a lazily resolved instance). Express
   * leads from the request to its response; Fastify does not, so there the Node request's own `close`
   * (which follows the response's `finish`) stands in until an interceptor hands over the response.
   */
  private watchCarrier(): void {
    if (this.is(RESPONSE_WATCHED | REQUEST_WATCHED)) return;
    const response = responseOfCarrier(this.carrier);
    if (response !== undefined) {
      this.watchResponse(response);
      return;
    }
    if (!(this.carrier instanceof IncomingMessage)) return;
    this.state |= REQUEST_WATCHED;
    this.carrier.once('close', () => {
      if (this.is(RESPONSE_WATCHED)) return;
      this.state |= RESPONSE_DONE;
      this.releaseWhenReady();
    });
  }

  /** Not released yet, with tasks waiting, the response done and no handler still running. */
  private readyToRelease(): boolean {
    return !this.is(RELEASED) && this.is(RESPONSE_DONE) && this.handlersOpen <= 0 && this.length > 0;
  }

  private releaseWhenReady(): void {
    if (!this.readyToRelease()) return;
    this.state |= RELEASED;
    // Only a failed handler, a client gone, or a runOn 'error' task can make a task not run.
    if (this.handlerFailed() || this.is(CLIENT_ABORTED | RUN_ON_ERROR_QUEUED)) this.dropWhatMustNotRun();
    this.pump();
  }

  /**
   * Tasks still running once the response has gone would otherwise keep the whole request alive through
   * this batch: the Node and framework request, and with it every request-scoped instance Nest created
   * for it. Kept that long (a 50 ms task is enough), they outlive young-generation collections and end
   * in the old one, whose collections pause the process. Log lines need only method and route.
   */
  private letGoOfRequest(): void {
    if (this.carrier === undefined && this.request === undefined) return;
    this.requestInfo();
    this.carrier = undefined;
    this.request = undefined;
  }

  private dropWhatMustNotRun(): void {
    const byReason = new Map<string, ScheduledTask[]>();
    this.removeWhere((task) => {
      const reason = this.dropReason(task);
      if (reason === undefined) return false;
      const tasks = byReason.get(reason);
      if (tasks) tasks.push(task);
      else byReason.set(reason, [task]);
      return true;
    });
    for (const [reason, tasks] of byReason) this.drop(tasks, reason);
  }

  private pump(): void {
    this.dispatchDurable();
    const limit = this.runner.options.concurrency;
    while (!this.is(ABANDONED) && this.calling + (this.running?.size ?? 0) < limit && this.length > 0) {
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

  /**
   * Durable tasks leave together, in one enqueue (one Redis round trip) per release, instead of waiting
   * for their turn here; they count as running until the enqueue has given each its outcome, so the
   * drain waits for it.
   */
  private dispatchDurable(): void {
    // Under the testing kit (inline, record) durable tasks run here like the others: tests need no Redis.
    if (this.durableQueued === 0 || this.is(ABANDONED) || this.runner.testSeam !== undefined) return;
    this.durableQueued = 0;
    const leaving = this.removeWhere((task) => task.durable !== undefined);
    if (leaving.length === 0) return;
    const running = (this.running ??= new RunningTasks());
    for (const task of leaving) running.add(task);
    void (leaving[0].durable as DurableRoute).dispatcher.dispatch(leaving, this).then(() => {
      for (const task of leaving) running.delete(task);
      this.pump();
    });
  }
}
