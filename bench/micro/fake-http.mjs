/**
 * A request as Fastify hands it to Nest, without a socket's I/O: what the request-path micro-benchmarks
 * run a `@Tasks()` parameter factory against.
 */
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

const socket = new Socket();
const server = {}; // what a Fastify request's `request.server` is

// Node 22+ keeps `writableFinished` in a field its 'finish' handling sets; Node 20 computes it from
// `finished`. `finishResponse` sets whichever this Node reads.
const kWritableFinished = Object.getOwnPropertySymbols(new ServerResponse(new IncomingMessage(socket))).find(
  (symbol) => symbol.description === 'kWritableFinished',
);

/** One request for `Controller.prototype[method]`, and its execution context (Nest builds one per custom parameter). */
export function fakeRequest(Controller, method) {
  const req = new IncomingMessage(socket);
  const res = new ServerResponse(req);
  res.assignSocket(socket); // as Node's server does before the handler runs
  const context = new ExecutionContextHost([{ raw: req, server }, { raw: res }, undefined], Controller, Controller.prototype[method]);
  context.setType('http');
  return { res, context };
}

/** What Node does once the response has been handed to the socket. */
export function finishResponse(res) {
  res.detachSocket(socket);
  res.finished = true;
  if (kWritableFinished !== undefined) res[kWritableFinished] = true;
  res.emit('close');
}
