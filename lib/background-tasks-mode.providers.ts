import type { DynamicModule, Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { BACKGROUND_TASKS_EXTRAS } from './core/background-tasks.constants.js';
import { INVALID_OPTION } from './core/background-tasks.messages.js';
import type { BackgroundTasksModuleExtras } from './interfaces/background-tasks-module-extras.interface.js';
import { BackgroundTasksInterceptor } from './request/background-tasks.interceptor.js';
import { backgroundTasksProvider, scopedBackgroundTasksProvider } from './request/background-tasks.providers.js';
import { RequestScopeHook } from './request/request-scope.hook.js';
import { TaskCallSitesExplorer } from './request/task-call-sites.explorer.js';

/** The module's extras, checked when the module is declared: a wrong one fails at the `forRoot` call. */
function checkExtras(extras: BackgroundTasksModuleExtras): Required<BackgroundTasksModuleExtras> {
  for (const name of ['isGlobal', 'requestScoped', 'globalInterceptor'] as const) {
    const value = extras[name];
    if (value !== undefined && typeof value !== 'boolean') throw new TypeError(INVALID_OPTION(name, 'a boolean', value));
  }
  return {
    isGlobal: extras.isGlobal ?? true,
    requestScoped: extras.requestScoped ?? true,
    globalInterceptor: extras.globalInterceptor as boolean,
  };
}

/**
 * Shapes the module by its extras: `BackgroundTasks` request-scoped or a singleton over the request
 * scope (`requestScoped`), the interceptor global, attached where tasks can be added, or absent
 * (`globalInterceptor`), and global or not (`isGlobal`).
 */
export function shapeModule(definition: DynamicModule, given: BackgroundTasksModuleExtras): DynamicModule {
  const extras = checkExtras(given);
  const providers: Provider[] = [
    ...(definition.providers ?? []),
    { provide: BACKGROUND_TASKS_EXTRAS, useValue: Object.freeze({ ...extras }) },
    extras.requestScoped ? backgroundTasksProvider : scopedBackgroundTasksProvider,
    TaskCallSitesExplorer,
    RequestScopeHook,
  ];
  if (extras.globalInterceptor === true) providers.push({ provide: APP_INTERCEPTOR, useExisting: BackgroundTasksInterceptor });
  return { ...definition, global: extras.isGlobal, providers };
}
