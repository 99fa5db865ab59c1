/**
 * Options of `forRoot()` / `forRootAsync()` that shape the module itself, so they are read when the module
 * is declared, not from `useFactory`.
 *
 * @publicApi
 */
export interface BackgroundTasksModuleExtras {
  /**
   * Register the module globally.
   *
   * @default true
   */
  isGlobal?: boolean;
  /**
   * `BackgroundTasks` is request-scoped (`true`): Nest builds it per request, and every provider that
   * injects it, directly or through others, becomes request-scoped too. With `false` it is one singleton
   * whose calls act on the request being handled, found through AsyncLocalStorage: services that inject
   * it stay singletons, so their lifecycle hooks and `@Cron` methods run, and the card's call site costs
   * far less. Outside any request (bootstrap, a cron job, a queue consumer) its tasks run soon, never
   * inside `addTask` itself.
   *
   * @default true
   */
  requestScoped?: boolean;
  /**
   * Where `BackgroundTasksInterceptor` runs. Unset (the default): only on the controllers, gateways and
   * resolvers that can add tasks (their dependency tree contains `BackgroundTasks`, or a handler takes
   * `@Tasks()`), found at startup, so routes that never touch tasks run no code of this library. `true`:
   * a global interceptor on every handler. `false`: none; an HTTP request's tasks are armed when the
   * request first touches `BackgroundTasks`, and the handler counts as failed when the response's status
   * is >= 400 (instead of when the handler throws); RPC, WebSocket and GraphQL handlers that add tasks
   * then need `@UseInterceptors(BackgroundTasksInterceptor)`.
   *
   * @default undefined
   */
  globalInterceptor?: boolean;
}
