import { Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { TaskBatch } from '../core/task-batch.js';
import { HttpTaskBatch } from './http-task-batch.js';
import { currentRequest, runInRequest } from './request-scope.js';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;
interface FastifyLike {
  addHook(name: 'onRequest', hook: (request: object, reply: unknown, done: () => void) => void): unknown;
}

/**
 * Under `forRoot({ requestScoped: false })`, enters every HTTP request into the request scope as the Node
 * server hands it over, before any middleware (`app.use()` ones included), guard or handler runs, so
 * that the singleton `BackgroundTasks` finds the request from wherever it is called. On Fastify, whose
 * route pattern lives on its own request object, an `onRequest` hook then hands that object to the
 * request's slot (or batch), so log lines name the route, never the URL. Installed by
 * `BackgroundTasksModule.configure()`, which Nest calls once the HTTP server exists (testing modules
 * included) and before it mounts routes.
 */
@Injectable()
export class RequestScopeHook {
  private installed = false;

  /** @internal */
  constructor(@Optional() private readonly adapterHost?: HttpAdapterHost) {}

  install(): void {
    const adapter = this.adapterHost?.httpAdapter;
    const server = adapter?.getHttpServer() as Server | undefined;
    if (this.installed || adapter === undefined || typeof server?.listeners !== 'function') return;
    this.installed = true;
    const listeners = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    for (const listener of listeners) {
      server.on('request', (request: IncomingMessage, response: ServerResponse) =>
        runInRequest({ request }, () => listener.call(server, request, response)),
      );
    }
    const instance = adapter.getInstance<Partial<FastifyLike>>();
    if (typeof instance.addHook === 'function') instance.addHook('onRequest', rememberFastifyRequest);
  }
}

/** Hands Fastify's request (it knows the route pattern) to the request's slot, or to its batch if open. */
function rememberFastifyRequest(request: object, _reply: unknown, done: () => void): void {
  const slot = currentRequest();
  if (slot !== undefined && !(slot instanceof TaskBatch)) {
    if (slot.batch instanceof HttpTaskBatch) slot.batch.useFrameworkRequest(request);
    else if (slot.batch === undefined) slot.request = request;
  }
  done();
}
