import type { IncomingMessage, ServerResponse } from 'node:http';

/** What waits for a response: told once whether the client left first and whether the status was >= 400. */
export interface ResponseCloseTarget {
  responseClosed(aborted: boolean, statusFailed: boolean): void;
}

/**
 * Tells `target` once the response has been fully handed to the socket, or its connection has closed
 * first. Node's response emits `close` in both cases once it holds the socket. A pipelined response still
 * queued behind others does not hold it yet and would miss the connection's end, hence the socket
 * listener in that case only, removed again so that keep-alive connections do not collect one per request.
 * (`stream.finished()` covers the same ground at about three times the listeners per request.)
 */
export function onResponseClose(response: ServerResponse, target: ResponseCloseTarget): void {
  let settled = false;
  const queuedOn = response.socket === null ? response.req?.socket : undefined;
  const settle = () => {
    if (settled) return;
    settled = true;
    // The response's own listener goes with the response; the connection outlives it.
    queuedOn?.removeListener('close', settle);
    tellClosed(response, target);
  };
  if (response.writableFinished || response.destroyed || queuedOn?.destroyed) {
    process.nextTick(settle);
    return;
  }
  response.on('close', settle);
  queuedOn?.once('close', settle);
}

function tellClosed(response: ServerResponse, target: ResponseCloseTarget): void {
  target.responseClosed(!response.writableFinished, response.statusCode >= 400);
}

/**
 * `onResponseClose` for targets that can be found again from the response's own request: while the
 * response holds its socket (it then emits `close` exactly once) and is not done yet, all of them share
 * one listener instead of a closure per response (~100-200 bytes each). A batch comes here only for a
 * response still being written when its turn is over (`TaskBatch.watchResponse`). Every other case goes
 * to `onResponseClose`.
 */
export function responseCloseWatcher(
  findTarget: (request: IncomingMessage) => ResponseCloseTarget | undefined,
): (response: ServerResponse, target: ResponseCloseTarget) => void {
  function closed(this: ServerResponse): void {
    const target = findTarget(this.req);
    if (target !== undefined) tellClosed(this, target);
  }
  return (response, target) => {
    if (response.socket !== null && !response.writableFinished && !response.destroyed && findTarget(response.req) === target) {
      response.on('close', closed);
    } else {
      onResponseClose(response, target);
    }
  };
}
