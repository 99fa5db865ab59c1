import type { ServerResponse } from 'node:http';

/**
 * Calls `listener` once the response has been fully handed to the socket, or its connection has closed
 * first. Node's response emits `close` in both cases once it holds the socket. A pipelined response still
 * queued behind others does not hold it yet and would miss the connection's end, hence the socket
 * listener in that case only, removed again so that keep-alive connections do not collect one per request.
 * (`stream.finished()` covers the same ground at about three times the listeners per request.)
 */
export function onResponseClose(response: ServerResponse, listener: (aborted: boolean) => void): void {
  let settled = false;
  const queuedOn = response.socket === null ? response.req?.socket : undefined;
  const settle = () => {
    if (settled) return;
    settled = true;
    // The response's own listener goes with the response; the connection outlives it.
    queuedOn?.removeListener('close', settle);
    listener(!response.writableFinished);
  };
  if (response.writableFinished || response.destroyed || queuedOn?.destroyed) {
    process.nextTick(settle);
    return;
  }
  response.on('close', settle);
  queuedOn?.once('close', settle);
}
