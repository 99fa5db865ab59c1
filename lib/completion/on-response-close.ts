import type { ServerResponse } from 'node:http';
import { finished } from 'node:stream';

/**
 * Calls `listener` once the response has been fully handed to the socket, or has failed, or its
 * connection has closed. `finished()` alone can miss the last case for a pipelined response still
 * queued behind others (it has no socket yet), hence the connection listener, which is removed again so
 * that keep-alive connections do not collect one per request.
 */
export function onResponseClose(response: ServerResponse, listener: (aborted: boolean) => void): void {
  const socket = response.req?.socket;
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    stopWatching();
    socket?.removeListener('close', settle);
    listener(!response.writableFinished);
  };
  const stopWatching = finished(response, settle);
  if (!socket) return;
  if (socket.destroyed) {
    process.nextTick(settle);
  } else {
    socket.once('close', settle);
  }
}
