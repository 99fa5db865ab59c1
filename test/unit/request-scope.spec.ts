import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent, createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { currentRequest, listenInRequests, type RequestSlot } from '../../lib/request/request-scope.js';

/**
 * The request scope of `forRoot({ requestScoped: false })` on a real Node server. Node 24 and later enter
 * it with one `enterWith()` per request (the parser's native callback ends it); Node 20 and 22 with
 * `run()`: CI runs this file on every line.
 */
describe('request scope: listenInRequests on a real server', () => {
  const outer = new AsyncLocalStorage<string>();
  const seen: { slot: RequestSlot | undefined; later: unknown; outer: string | undefined; url: string | undefined }[] = [];
  let server: Server;
  let port: number;

  beforeAll(async () => {
    // An instrumentation's store (OpenTelemetry's context, say), entered around the server: it must stay
    // visible inside each request, beside the request's own slot.
    server = outer.run('outer', () => createServer());
    server.on(
      'request',
      listenInRequests((request, response) => {
        const slot = currentRequest() as RequestSlot | undefined;
        const entry = { slot, later: undefined as unknown, outer: outer.getStore(), url: request.url };
        seen.push(entry);
        setImmediate(() => {
          entry.later = currentRequest();
          response.end('ok');
        });
      }, server),
    );
    await outer.run('outer', () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const fetchOnce = (path: string, agent: Agent) =>
    new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path, agent }, (response: IncomingMessage) => {
        response.resume();
        response.on('end', resolve);
      }).on('error', reject);
    });

  it('gives each request on one keep-alive connection its own slot, kept by what the request starts', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await fetchOnce('/first', agent);
    await fetchOnce('/second', agent);
    agent.destroy();

    expect(seen.map((entry) => entry.url)).toEqual(['/first', '/second']);
    const [first, second] = seen;
    expect((first.slot?.request as IncomingMessage | undefined)?.url).toBe('/first');
    expect((second.slot?.request as IncomingMessage | undefined)?.url).toBe('/second');
    expect(second.slot).not.toBe(first.slot);
    expect(first.later).toBe(first.slot);
    expect(second.later).toBe(second.slot);
    expect(first.outer).toBe('outer');
    expect(second.outer).toBe('outer');
  });

  it('leaves the code outside any request outside it', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await fetchOnce('/third', agent);
    agent.destroy();
    expect(currentRequest()).toBeUndefined();
    // A callback the server makes for no request (a new connection) is in none either.
    const connection = new Promise<unknown>((resolve) => server.once('connection', () => resolve(currentRequest())));
    const fresh = new Agent({ keepAlive: false });
    await fetchOnce('/fourth', fresh);
    await expect(connection).resolves.toBeUndefined();
  });
});
