import { BackgroundTasksModule } from '../../lib/index.js';

/**
 * `TEST_REQUEST_SCOPED=false` runs every suite with `BackgroundTasksModule.forRoot({ requestScoped: false })`
 * (unless a test sets `requestScoped` itself): the whole e2e suite runs in both modes (`.ci/run`).
 */
export const REQUEST_SCOPED = process.env.TEST_REQUEST_SCOPED !== 'false';

if (!REQUEST_SCOPED) {
  type Options = Parameters<typeof BackgroundTasksModule.forRoot>[0];
  type AsyncOptions = Parameters<typeof BackgroundTasksModule.forRootAsync>[0];
  const forRoot = BackgroundTasksModule.forRoot;
  const forRootAsync = BackgroundTasksModule.forRootAsync;
  // A value that is not an options object goes through as it is: tests check what forRoot says about it.
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  BackgroundTasksModule.forRoot = (options: Options = {}) =>
    forRoot.call(BackgroundTasksModule, isObject(options) ? { requestScoped: false, ...options } : options);
  BackgroundTasksModule.forRootAsync = (options: AsyncOptions) =>
    forRootAsync.call(BackgroundTasksModule, isObject(options) ? { requestScoped: false, ...options } : options);
}
