/** Injection token of the options given to `BackgroundTasksModule.forRoot()` / `forRootAsync()`. */
export const BACKGROUND_TASKS_MODULE_OPTIONS = Symbol('nestjs-background-tasks:module-options');

/** Injection token of the module's extras as given (`isGlobal`, `globalInterceptor`, `requestScoped`). */
export const BACKGROUND_TASKS_EXTRAS = Symbol('nestjs-background-tasks:module-extras');

/** Logger context of every line this library writes. */
export const BACKGROUND_TASKS_LOGGER_CONTEXT = 'BackgroundTasks';

/** Default time `app.close()` waits for tasks before abandoning them, in ms. */
export const DEFAULT_DRAIN_TIMEOUT = 30_000;

/** Name given to a task whose function has none. */
export const ANONYMOUS_TASK_NAME = 'anonymous';
