import { IncomingMessage, type ServerResponse } from 'node:http';
import type { DeferredRelease } from '../core/deferred-releases.js';
import { TaskBatch } from '../core/task-batch.js';
import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';
import type { TaskRunner } from '../runner/task-runner.js';
import { responseCloseWatcher, type ResponseCloseTarget } from './on-response-close.js';
import { requestInfoOf, responseOfCarrier, UNKNOWN_ROUTE } from './request-carrier.js';
import { findBatch } from './task-batch.registry.js';

/** A batch is kept on its Node request, so its response's `close` can find it there (no closure each). */
const watchResponseClose = responseCloseWatcher((request) => {
  const batch = findBatch(request);
  return batch instanceof HttpTaskBatch ? batch : undefined;
});

/** What the batch watches to learn that its response has gone: nothing yet, the Node request, or the response. */
type Watching = 'nothing' | 'request' | 'response';

/**
 * The tasks of one HTTP request (a route, or every GraphQL resolver of one operation): released once the
 * response has been sent (or the client went away) and every handler has ended.
 *
 * The response is looked at once this turn's I/O is done (`DeferredReleases`), not watched at once: a
 * handler that answers at once has its response written in this same turn, so that look finds it sent
 * and no `close` listener is armed at all, which keeps work out from between the handler and the write.
 * A response still in flight then gets its `close` listener.
 */
export class HttpTaskBatch extends TaskBatch implements ResponseCloseTarget, DeferredRelease {
  private watching: Watching = 'nothing';
  /** The response to look at at the end of this turn; dropped once looked at. */
  private response?: ServerResponse = undefined;
  /** The request's carrier (the Node request) and the framework's request: let go of once tasks run. */
  private carrier?: IncomingMessage;
  private request?: unknown;
  /** The route pattern has been found: the request info is kept from now on. */
  private routeKnown = false;

  constructor(
    override readonly runner: TaskRunner,
    carrier: IncomingMessage,
    request?: unknown,
  ) {
    super(runner, false);
    this.carrier = carrier;
    this.request = request;
  }

  /** The framework's request (Fastify's knows the route pattern), when the batch was opened with the Node one. */
  useFrameworkRequest(request: object): void {
    if (this.carrier !== undefined) this.request = request;
  }

  /** A route's handler is about to run (`trackRouteHandler`): watch the response the request leads to. */
  watchOwnResponse(): void {
    this.waitForResponse();
  }

  /**
   * The interceptor starts handling the request; `response` is where the reply goes, `request` the
   * framework's request or GraphQL context (a batch a middleware opened on Fastify learns the route from it).
   */
  override enter(response?: ServerResponse, request?: object): void {
    if (request !== undefined) this.useFrameworkRequest(request);
    super.enter();
    this.watchResponse(response);
  }

  /**
   * Waits for `response` to be sent. Without an interceptor run (`@Tasks()` under `globalInterceptor:
   * false`, a guard) its status then says how the handler went.
   */
  watchResponse(response: ServerResponse | undefined): void {
    if (this.watching === 'response' || response === undefined) return;
    this.watching = 'response';
    // The testing kit's inline mode watches the response its own way (it holds the last bytes).
    const seam = this.runner.testSeam;
    if (seam) {
      seam.watchResponse(response, this, (aborted) => this.responseClosed(aborted, response.statusCode >= 400));
      return;
    }
    this.response = response;
    this.runner.releaseAtTurnEnd(this);
  }

  /** The response has closed. Its tasks start at the end of this turn, with those of the turn's other responses. */
  responseClosed(aborted: boolean, statusFailed: boolean): void {
    this.settleResponse(aborted, statusFailed);
    if (this.phase === 'releasing' || !this.readyToRelease()) return;
    this.phase = 'releasing';
    this.runner.releaseAtTurnEnd(this);
  }

  /** `DeferredReleases` calls back: the turn in which the batch learned of its response, or it closed, is over. */
  release(): void {
    if (this.response !== undefined) {
      this.checkResponse(this.response);
      return;
    }
    if (this.phase === 'releasing') this.phase = 'collecting';
    this.releaseWhenReady();
  }

  protected override get awaitsLook(): boolean {
    return this.response !== undefined;
  }

  protected override readRequestInfo(): TaskRequestInfo | undefined {
    return requestInfoOf(this.carrier, this.request);
  }

  /**
   * Kept once the route is known; read again while it is not (a middleware's task, with hooks or
   * metrics on, is described before routing) until the request is let go of.
   */
  override requestInfo(): TaskRequestInfo | undefined {
    if (!this.routeKnown && this.carrier !== undefined) {
      const info = this.readRequestInfo();
      if (info?.route === UNKNOWN_ROUTE) return info;
      this.routeKnown = true;
    }
    return super.requestInfo();
  }

  /**
   * Tasks added before any interceptor ran (a guard, middleware, a lazily resolved instance). Express
   * leads from the request to its response; Fastify does not, so there the Node request's own `close`
   * (which follows the response's `finish`) stands in until an interceptor hands over the response.
   */
  protected override waitForResponse(): void {
    if (this.watching !== 'nothing') return;
    const response = responseOfCarrier(this.carrier);
    if (response !== undefined) {
      this.watchResponse(response);
      return;
    }
    if (!(this.carrier instanceof IncomingMessage)) return;
    this.watching = 'request';
    this.carrier.once('close', () => {
      if (this.watching === 'response') return;
      this.responseDone = true;
      this.releaseWhenReady();
    });
  }

  /**
   * Tasks still running once the response has gone would otherwise keep the whole request alive through
   * this batch: the Node and framework request, and every request-scoped instance Nest created for it.
   * Kept that long, they outlive young-generation collections and slow the old one. Logs need only
   * method and route.
   */
  protected override letGoOfRequest(): void {
    if (this.carrier === undefined && this.request === undefined) return;
    super.requestInfo();
    this.carrier = undefined;
    this.request = undefined;
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
}
