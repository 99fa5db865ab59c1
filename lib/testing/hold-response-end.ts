import type { ServerResponse } from 'node:http';
import { onResponseClose } from '../request/on-response-close.js';

/**
 * Inline mode's completion hook. When the application ends the response (`res.end()`: every byte handed
 * over, from the application's point of view), the batch hears "done" at once and its tasks start; the
 * real `end` (the last bytes, and so the client's "response complete") waits until `settled` resolves.
 * A client that awaits the whole response therefore awaits the tasks too, as FastAPI's `TestClient` does.
 * Bytes written before `end()` (headers, streamed chunks) are not held: only the end is.
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

  const hadOwnEnd = Object.prototype.hasOwnProperty.call(response, 'end');
  const originalEnd = response.end;
  const restore = () => {
    if (hadOwnEnd) response.end = originalEnd;
    else delete (response as { end?: unknown }).end;
  };
  response.end = function heldEnd(this: ServerResponse, ...args: unknown[]) {
    restore();
    const end = () => (originalEnd as (...a: unknown[]) => ServerResponse).apply(response, args);
    if (response.destroyed) return end();
    notify(false);
    // `settled` never rejects (the runner's whenIdle resolves true or false); the catch is a last guard so
    // the response is always ended and nothing reaches unhandledRejection.
    void settled().then(end, end);
    return response;
  } as ServerResponse['end'];
}
