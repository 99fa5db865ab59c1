import type { ServerResponse } from 'node:http';
import { onResponseClose } from '../request/on-response-close.js';

type Write = (...args: unknown[]) => boolean;

/** The response's Content-Length, when it declares one: set with `setHeader`, or in `writeHead`'s sent header. */
function contentLength(response: ServerResponse): number | undefined {
  const declared = response.getHeader('content-length') ?? /\r\ncontent-length:\s*(\d+)/i.exec(String((response as { _header?: unknown })._header ?? ''))?.[1];
  const length = Number(declared);
  return declared !== undefined && Number.isFinite(length) ? length : undefined;
}

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return (chunk as { byteLength?: number } | null)?.byteLength ?? 0;
}

/**
 * Inline mode's completion hook. When the application ends the response (`res.end()`: every byte handed
 * over, from the application's point of view), the batch hears "done" at once and its tasks start; the
 * real `end` (the last bytes, and so the client's "response complete") waits until `settled` resolves.
 * A client that awaits the whole response therefore awaits the tasks too, as FastAPI's `TestClient` does.
 * Bytes written before `end()` (headers, streamed chunks) are not held, except for a body of known length
 * (Content-Length): the write that would complete it is held with the end, since a client has the whole
 * response once it has that many bytes.
 *
 * The regular watcher stays armed for responses that never reach `end()` (client gone).
 */
export function holdResponseEnd(
  response: ServerResponse,
  listener: (aborted: boolean) => void,
  settled: () => Promise<unknown>,
): void {
  let notified = false;
  const notify = (aborted: boolean) => {
    if (notified) return;
    notified = true;
    listener(aborted);
  };
  onResponseClose(response, { responseClosed: (aborted) => notify(aborted) });

  const hadOwn = { end: Object.prototype.hasOwnProperty.call(response, 'end'), write: Object.prototype.hasOwnProperty.call(response, 'write') };
  const originalEnd = response.end;
  const originalWrite = response.write as unknown as Write;
  const restore = () => {
    if (hadOwn.end) response.end = originalEnd;
    else delete (response as { end?: unknown }).end;
    if (hadOwn.write) response.write = originalWrite as unknown as ServerResponse['write'];
    else delete (response as { write?: unknown }).write;
  };
  /** Writes held back with the end; once one is held, every later one is too (order). */
  const held: unknown[][] = [];
  let written = 0;
  response.write = function heldWrite(this: ServerResponse, ...args: unknown[]) {
    if (held.length === 0 && !response.destroyed) {
      const size = byteLength(args[0], args[1]);
      const length = contentLength(response);
      if (length === undefined || written + size < length) {
        written += size;
        return originalWrite.apply(response, args);
      }
    }
    held.push(args);
    return true;
  } as ServerResponse['write'];
  response.end = function heldEnd(this: ServerResponse, ...args: unknown[]) {
    restore();
    const end = () => {
      if (!response.destroyed) for (const write of held.splice(0)) originalWrite.apply(response, write);
      return (originalEnd as (...a: unknown[]) => ServerResponse).apply(response, args);
    };
    if (response.destroyed) return end();
    notify(false);
    // `settled` never rejects (the runner's whenIdle resolves true or false); the catch is a last guard so
    // the response is always ended and nothing reaches unhandledRejection.
    void settled().then(end, end);
    return response;
  } as ServerResponse['end'];
}
