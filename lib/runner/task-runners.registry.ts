import type { TaskRunner } from './task-runner.js';

/**
 * HTTP framework instance (Express app, Fastify instance) -> the runner of the Nest app that serves it.
 * `@Tasks()` has no injector to ask, so when no interceptor has opened the request's batch
 * (`globalInterceptor: false`) it finds its application's runner from the request it is given.
 */
const runnersByServer = new WeakMap<object, TaskRunner>();

/** Runners of applications that have started and not shut down yet. */
const liveRunners = new Set<TaskRunner>();

/**
 * The last server asked about and its runner: a process serves one app in the common case, and a
 * Fastify request names a plugin context whose root is one prototype further, two WeakMap misses per
 * request without this.
 */
let lastServer: unknown;
let lastRunner: TaskRunner | undefined;

/**
 * The runner, while the process has only ever registered one and it is live: every lookup would end at
 * it (found by its server, or as the one live runner), so none is made.
 */
let soleRunner: TaskRunner | undefined;
let registeredCount = 0;

export function registerRunner(runner: TaskRunner, server: unknown): void {
  liveRunners.add(runner);
  registeredCount++;
  soleRunner = registeredCount === 1 ? runner : undefined;
  lastServer = undefined;
  lastRunner = undefined;
  if (typeof server === 'object' || typeof server === 'function') {
    if (server !== null) runnersByServer.set(server, runner);
  }
}

export function unregisterRunner(runner: TaskRunner): void {
  liveRunners.delete(runner);
  // A closed runner is still found by its server (its tasks are then reported as after shutdown).
  if (soleRunner === runner) soleRunner = undefined;
  if (lastRunner === runner) {
    lastServer = undefined;
    lastRunner = undefined;
  }
}

/**
 * The runner behind a request: by the framework instance the request names (`req.app` on Express,
 * `request.server` on Fastify, whose plugin contexts inherit from the root instance), else the one
 * application of the process. Undefined when neither tells.
 */
export function runnerOfRequest(request: unknown): TaskRunner | undefined {
  if (soleRunner !== undefined) return soleRunner;
  const holder = request as { app?: unknown; server?: unknown } | undefined;
  const named: unknown = holder?.app ?? holder?.server;
  if (named !== undefined && named === lastServer) return lastRunner;
  let server = named;
  while (typeof server === 'object' || typeof server === 'function') {
    if (server === null) break;
    const runner = runnersByServer.get(server);
    if (runner !== undefined) {
      lastServer = named;
      lastRunner = runner;
      return runner;
    }
    server = Object.getPrototypeOf(server);
  }
  if (liveRunners.size === 1) return liveRunners.values().next().value;
  return undefined;
}
