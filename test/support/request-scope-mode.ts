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
  BackgroundTasksModule.forRoot = (options: Options = {}) => forRoot.call(BackgroundTasksModule, { requestScoped: false, ...options });
  BackgroundTasksModule.forRootAsync = (options: AsyncOptions) => forRootAsync.call(BackgroundTasksModule, { requestScoped: false, ...options });
}
