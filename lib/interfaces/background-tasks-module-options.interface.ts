/**
 * Options of `BackgroundTasksModule.forRoot()` / `forRootAsync()`.
 *
 * @publicApi
 */
export interface BackgroundTasksModuleOptions {
  /**
   * How long `app.close()` waits for running and pending tasks, in ms, before it aborts and abandons
   * them (each is logged by name). Default 30 000.
   */
  drainTimeout?: number;
}
