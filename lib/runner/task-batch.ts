import { IncomingMessage, type ServerResponse } from 'node:http';
import { describeCarrier, responseOfCarrier } from '../completion/request-carrier.js';
import { currentMessageOf } from '../completion/message-scope.js';
import { onResponseClose } from '../completion/on-response-close.js';
import type { Task } from '../interfaces/task.interface.js';
import type { TaskRunner } from './task-runner.js';

/** How the handler of a request ended, as the interceptor saw it. */
export type HandlerOutcome = 'success' | 'error';

/**
 * The tasks of one request. They wait until the handler has ended and the response has been sent (both
 * known: see `release`), then run in the order added. Tasks added after that run too, as the batch's
 * queue is pumped again: nothing added is dropped without a log line.
 */
export class TaskBatch {
  private queue: Task[] = [];
  private readonly running = new Set<Task>();
  private handlersOpen = 0;
  private handlerEntered = false;
  private failed = false;
  private responseWatched = false;
  private requestWatched = false;
  private responseDone = false;
  private clientAborted = false;
  private statusFailed = false;
  private isReleased = false;
  private abandoned = false;

  constructor(
    private readonly runner: TaskRunner,
    private readonly carrier: object | undefined,
    private readonly request?: unknown,
  ) {
    // Only an HTTP request has a response to wait for. Outside a request (no carrier), and on an RPC
    // message or WebSocket connection outside a handler (a guard, `handleConnection`), tasks run at once;
    // a message's own batch waits for its reply (`awaitReply`).
    if (!(carrier instanceof IncomingMessage)) this.responseDone = true;
  }

  get released(): boolean {
    return this.isReleased;
  }

  /** Tasks pending or running. */
  get size(): number {
    return this.queue.length + this.running.size;
  }

  get hasWork(): boolean {
    return this.queue.length > 0 || this.running.size > 0;
  }

  /** `METHOD /route` for log lines. */
  describe(): string {
    return this.carrier === undefined ? 'no request' : describeCarrier(this.carrier, this.request);
  }

  add(task: Task): void {
    // Inside a message's handler (RPC, WebSocket) the task belongs to that message, not to the carrier.
    const message = currentMessageOf(this);
    if (message !== undefined) return message.add(task);
    if (this.abandoned || !this.runner.accepting) {
      this.runner.reportRejected(task, this);
      return;
    }
    if (this.isReleased && !this.keeps()) {
      this.runner.reportDropped(1, this);
      return;
    }
    this.queue.push(task);
    this.runner.markBusy(this);
    if (this.isReleased) {
      this.pump();
    } else {
      this.watchCarrier();
      this.releaseWhenReady();
    }
  }

  /** The interceptor starts handling the request; `response` is where the reply goes, if HTTP. */
  enter(response?: ServerResponse): void {
    this.handlersOpen++;
    this.handlerEntered = true;
    this.watchResponse(response);
  }

  /** The interceptor saw the handler end. */
  exit(outcome: HandlerOutcome): void {
    this.handlersOpen--;
    if (outcome === 'error') this.failed = true;
    this.releaseWhenReady();
  }

  /** This batch is one message's (RPC, WebSocket): it waits for `replySent` as HTTP waits for `finish`. */
  awaitReply(): void {
    this.responseDone = false;
  }

  /** The message's reply has been handed to the transport, or the client went away first. */
  replySent(aborted: boolean): void {
    this.settleResponse(aborted, false);
  }

  /** Stops the batch for good; returns what was still to do. */
  abandon(): { task: Task; running: boolean }[] {
    this.abandoned = true;
    const left = [
      ...[...this.running].map((task) => ({ task, running: true })),
      ...this.queue.map((task) => ({ task, running: false })),
    ];
    this.queue = [];
    this.running.clear();
    return left;
  }

  private watchResponse(response: ServerResponse | undefined): void {
    if (this.responseWatched || response === undefined) return;
    this.responseWatched = true;
    onResponseClose(response, (aborted) => this.settleResponse(aborted, response.statusCode >= 400));
  }

  /** The one place where a response (or reply) is known to be done, and whether the client left first. */
  private settleResponse(aborted: boolean, statusFailed: boolean): void {
    this.responseDone = true;
    this.clientAborted = aborted;
    this.statusFailed = statusFailed;
    this.releaseWhenReady();
  }

  /**
   * Tasks added before any interceptor ran (a guard, middleware, a lazily resolved instance). Express
   * leads from the request to its response; Fastify does not, so there the Node request's own `close`
   * (which follows the response's `finish`) stands in until an interceptor hands over the response.
   */
  private watchCarrier(): void {
    if (this.responseWatched || this.requestWatched) return;
    const response = responseOfCarrier(this.carrier);
    if (response !== undefined) {
      this.watchResponse(response);
      return;
    }
    if (!(this.carrier instanceof IncomingMessage)) return;
    this.requestWatched = true;
    this.carrier.once('close', () => {
      if (this.responseWatched) return;
      this.responseDone = true;
      this.releaseWhenReady();
    });
  }

  /** Whether the request's tasks may run, given how its handler ended. */
  private keeps(): boolean {
    // Without an interceptor run (a guard rejected, or the batch was created after the interceptor had
    // looked), the status code is the only word on how the request went.
    return this.handlerEntered ? !this.failed : !this.statusFailed;
  }

  private releaseWhenReady(): void {
    if (this.isReleased || !this.responseDone || this.handlersOpen > 0 || this.queue.length === 0) return;
    this.isReleased = true;
    if (!this.keeps()) {
      const dropped = this.queue.length;
      this.queue = [];
      this.runner.reportDropped(dropped, this);
      this.runner.markChanged(this);
      return;
    }
    this.runner.markChanged(this);
    this.pump();
  }

  private pump(): void {
    if (this.running.size > 0 || this.abandoned) return;
    const task = this.queue.shift();
    if (task === undefined) {
      this.runner.markChanged(this);
      return;
    }
    this.running.add(task);
    void this.runner.run(task, this).then(() => {
      this.running.delete(task);
      this.pump();
    });
  }
}
