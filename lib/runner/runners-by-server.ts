/**
 * HTTP framework instance (Express app, Fastify instance) -> the runner of the Nest app that serves it.
 * `@Tasks()` has no injector to ask, so when no interceptor has opened the request's batch
 * (`globalInterceptor: false`) it finds its application's runner from the request it is given. Generic
 * over the runner so that this file knows nothing of it.
 */
export class RunnersByServer<R extends object> {
  private readonly byServer = new WeakMap<object, R>();
  /** Runners of applications that have started and not shut down yet. */
  private readonly live = new Set<R>();
  /**
   * The last server asked about and its runner: a process serves one app in the common case, and a
   * Fastify request names a plugin context whose root is one prototype further, two WeakMap misses per
   * request without this.
   */
  private lastServer: unknown = undefined;
  private lastRunner: R | undefined = undefined;
  /** The runner, while the process has only ever registered one and it is live: no lookup is made. */
  private sole: R | undefined = undefined;
  private registered = 0;

  register(runner: R, server: unknown): void {
    this.live.add(runner);
    this.registered++;
    this.sole = this.registered === 1 ? runner : undefined;
    this.lastServer = undefined;
    this.lastRunner = undefined;
    if ((typeof server === 'object' || typeof server === 'function') && server !== null) this.byServer.set(server, runner);
  }

  unregister(runner: R): void {
    this.live.delete(runner);
    // A closed runner is still found by its server (its tasks are then reported as after shutdown).
    if (this.sole === runner) this.sole = undefined;
    if (this.lastRunner === runner) {
      this.lastServer = undefined;
      this.lastRunner = undefined;
    }
  }

  /**
   * The runner behind a request: by the framework instance the request names (`req.app` on Express,
   * `request.server` on Fastify, whose plugin contexts inherit from the root instance), else the one
   * application of the process. Undefined when neither tells.
   */
  ofRequest(request: unknown): R | undefined {
    if (this.sole !== undefined) return this.sole;
    const holder = request as { app?: unknown; server?: unknown } | undefined;
    const named: unknown = holder?.app ?? holder?.server;
    if (named !== undefined && named === this.lastServer) return this.lastRunner;
    let server = named;
    while ((typeof server === 'object' || typeof server === 'function') && server !== null) {
      const runner = this.byServer.get(server);
      if (runner !== undefined) {
        this.lastServer = named;
        this.lastRunner = runner;
        return runner;
      }
      server = Object.getPrototypeOf(server);
    }
    return this.live.size === 1 ? this.live.values().next().value : undefined;
  }
}
