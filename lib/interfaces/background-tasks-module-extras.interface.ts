/**
 * Options of `forRoot()` / `forRootAsync()` that shape the module itself, so they are read when the module
 * is declared, not from `useFactory`.
 *
 * @publicApi
 */
export interface BackgroundTasksModuleExtras {
  /** Register the module globally. Default true. */
  isGlobal?: boolean;
  /**
   * Register `BackgroundTasksInterceptor` as a global interceptor (default true). With `false`, no
   * interceptor runs on routes that never touch tasks: an HTTP request's tasks are armed when the request
   * first touches `BackgroundTasks`, and the handler counts as failed when the response's status is >= 400
   * (instead of when the handler throws). RPC, WebSocket and GraphQL handlers that add tasks then need
   * `@UseInterceptors(BackgroundTasksInterceptor)`.
   */
  globalInterceptor?: boolean;
}
