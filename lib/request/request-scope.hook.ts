import { Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { BACKGROUND_TASKS_EXTRAS } from '../core/background-tasks.constants.js';
import { TaskBatch } from '../core/task-batch.js';
import type { BackgroundTasksModuleExtras } from '../interfaces/background-tasks-module-extras.interface.js';
import { HttpTaskBatch } from './http-task-batch.js';
import { currentRequest, listenInRequests, type RequestListener } from './request-scope.js';
import { findBatch } from './task-batch.registry.js';

interface FastifyLike {
  addHook(name: 'onRequest', hook: (request: object, reply: unknown, done: () => void) => void): unknown;
}

/**
 * Under `forRoot({ requestScoped: false })`, enters every HTTP request into the request scope as the Node
 * server hands it over, before any middleware (`app.use()` ones included), guard or handler runs, so
 * that the singleton `BackgroundTasks` finds the request from wherever it is called. On Fastify, whose
 * route pattern lives on its own request object, an `onRequest` hook then hands that object to the
 * request's slot (or batch), so log lines name the route, never the URL; that hook runs in the default
 * mode too, for batches a middleware opened before routing. Installed by
 * `BackgroundTasksModule.configure()`, which Nest calls once the HTTP server exists (testing modules
 * included) and before it mounts routes.
 */
@Injectable()
export class RequestScopeHook {
  private installed = false;

  /** @internal */
  constructor(
    @Inject(BACKGROUND_TASKS_EXTRAS) private readonly extras: Required<BackgroundTasksModuleExtras>,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  install(): void {
    const adapter = this.adapterHost?.httpAdapter;
    const server = adapter?.getHttpServer() as Server | undefined;
    if (this.installed || adapter === undefined) return;
    this.installed = true;
    const instance = adapter.getInstance<Partial<FastifyLike>>();
    // Both modes: a batch a Fastify middleware opened learns the route pattern here (one property read).
    if (typeof instance.addHook === 'function') instance.addHook('onRequest', rememberFastifyRequest);
    if (this.extras.requestScoped || typeof server?.listeners !== 'function') return;
    const listeners = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    for (const listener of listeners) server.on('request', listenInRequests(listener, server));
  }
}

/**
 * Hands Fastify's request (it knows the route pattern) to the request's slot, or to its batch if a
 * middleware (which sees only the Node request) has opened one already.
 */
function rememberFastifyRequest(request: object, _reply: unknown, done: () => void): void {
  const slot = currentRequest();
  if (slot !== undefined && !(slot instanceof TaskBatch)) {
    if (slot.batch instanceof HttpTaskBatch) slot.batch.useFrameworkRequest(request);
    else if (slot.batch === undefined) slot.request = request;
  } else if (slot === undefined) {
    const batch = findBatch((request as { raw?: object }).raw);
    if (batch instanceof HttpTaskBatch) batch.useFrameworkRequest(request);
  }
  done();
}
