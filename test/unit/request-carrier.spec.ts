import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describeRequest } from '../../lib/core/describe-request.js';
import { carrierOfRequest, requestInfoOf, responseOfCarrier } from '../../lib/request/request-carrier.js';

/** Nest's RequestContextHost, as duck-typed by the library (it never imports @nestjs/microservices). */
class RequestContextHost {
  constructor(
    readonly pattern: unknown,
    readonly data: unknown,
    readonly context: unknown,
  ) {}
  getContext() {
    return this.context;
  }
}

describe('request carriers: what REQUEST is and what the interceptor sees lead to one object', () => {
  const req = new IncomingMessage(new Socket());

  it.each([
    ['Express req', req],
    ['Fastify request ({ raw })', { raw: req }],
    ['Apollo/Express GraphQL context ({ req })', { req }],
    ['Apollo/Fastify GraphQL context ({ req: { raw } })', { req: { raw: req } }],
    ['Mercurius context ({ reply: { request: { raw } } })', { reply: { request: { raw: req } } }],
  ])('%s -> the Node request', (_, request) => {
    expect(carrierOfRequest(request)).toBe(req);
  });

  it('RPC: a RequestContextHost -> its per-message context (what switchToRpc().getContext() returns)', () => {
    const tcpContext = { getPattern: () => 'sum' };
    expect(carrierOfRequest(new RequestContextHost('sum', [1], tcpContext))).toBe(tcpContext);
    // A transport without a context object: the host itself.
    const bare = new RequestContextHost('sum', [1], undefined);
    expect(carrierOfRequest(bare)).toBe(bare);
  });

  it('WebSocket: the client socket itself; nothing for a missing request', () => {
    const client = { send: () => undefined };
    expect(carrierOfRequest(client)).toBe(client);
    expect(carrierOfRequest(undefined)).toBeUndefined();
    expect(carrierOfRequest(null)).toBeUndefined();
  });

  it('names RPC and WebSocket messages by pattern, never by payload', () => {
    const host = new RequestContextHost({ cmd: 'sum' }, { secret: 'tok_SECRET' }, {});
    expect(describeRequest(requestInfoOf(host.context as object, host))).toBe('RPC {"cmd":"sum"}');
  });

  it('finds a Fastify-style response from the socket only when it belongs to this request (pipelining)', () => {
    const socket = new Socket();
    const first = new IncomingMessage(socket);
    const second = new IncomingMessage(socket);
    const response = new ServerResponse(first);
    (socket as unknown as { _httpMessage: unknown })._httpMessage = response;
    expect(responseOfCarrier(first)).toBe(response);
    expect(responseOfCarrier(second)).toBeUndefined();
  });
});
