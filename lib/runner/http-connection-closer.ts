/** The parts of Node's `http.Server` (under Express and Fastify alike) the shutdown uses: duck-typed. */
interface ClosingServer {
  prependListener(event: 'request', listener: (request: unknown, response: { shouldKeepAlive?: boolean }) => void): unknown;
  removeListener(event: 'request', listener: (...args: never[]) => void): unknown;
  closeIdleConnections?(): void;
  closeAllConnections?(): void;
}

function isClosingServer(server: unknown): server is ClosingServer {
  const candidate = server as Partial<ClosingServer> | null | undefined;
  return typeof candidate?.prependListener === 'function' && typeof candidate.removeListener === 'function';
}

/**
 * Bounds how long the HTTP server's close can take. Node's `server.close()` waits for every connection
 * to end, and a client that keeps its connection alive and busy never lets it: `app.close()` then waits
 * for the client, far past `drainTimeout`. From the start of the drain every response says
 * `Connection: close` and idle connections are closed; at the drain deadline every connection is cut,
 * requests in flight included, so none of them is answered while its tasks could no longer run.
 */
export class HttpConnectionCloser {
  private server?: ClosingServer = undefined;

  /** The drain begins: each response from now on closes its connection, and idle ones close now. */
  begin(server: unknown): void {
    if (this.server !== undefined || !isClosingServer(server)) return;
    this.server = server;
    // Prepended: it runs before the framework's handler, while the headers can still change.
    server.prependListener('request', this.closeAfterResponse);
    server.closeIdleConnections?.();
  }

  /** The drain deadline: every connection is cut now. */
  cutAll(): void {
    this.server?.closeAllConnections?.();
  }

  /** The drain is over. */
  end(): void {
    this.server?.removeListener('request', this.closeAfterResponse);
    this.server = undefined;
  }

  private readonly closeAfterResponse = (_request: unknown, response: { shouldKeepAlive?: boolean }): void => {
    response.shouldKeepAlive = false;
  };
}
