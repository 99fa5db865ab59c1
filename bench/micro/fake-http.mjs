/**
 * A request as Fastify hands it to Nest, without a socket's I/O: what the request-path micro-benchmarks
 * run a `@Tasks()` parameter factory against.
 */
import { Module } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

import { library } from './common.mjs';

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

/**
 * A `@Tasks()` route as Nest's router runs it, without HTTP: the app (`forRoot({ globalInterceptor:
 * false })`, no server), a fake request and its context per call, and the parameter's factory, read from
 * the metadata `@Tasks()` leaves. Outside HTTP the module's runner is the process's only one, which is
 * where `@Tasks()` finds it.
 */
export async function tasksParameterRoute() {
  const { BackgroundTasksModule, Tasks } = library;
  class BenchController {
    get() {}
  }
  Tasks()(BenchController.prototype, 'get', 0);
  const [{ factory, data }] = Object.values(Reflect.getMetadata(ROUTE_ARGS_METADATA, BenchController, 'get'));
  class MicroModule {}
  Module({ imports: [BackgroundTasksModule.forRoot({ globalInterceptor: false })] })(MicroModule);
  const app = await NestFactory.createApplicationContext(MicroModule, { logger: ['error'] });
  return { app, request: () => fakeRequest(BenchController, 'get'), tasksOf: (context) => factory(data, context) };
}
