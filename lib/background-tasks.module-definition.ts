import { ConfigurableModuleBuilder } from '@nestjs/common';
import { shapeModule } from './background-tasks-mode.providers.js';
import { BACKGROUND_TASKS_MODULE_OPTIONS } from './core/background-tasks.constants.js';
import type { BackgroundTasksModuleExtras } from './interfaces/background-tasks-module-extras.interface.js';
import type { BackgroundTasksModuleOptions } from './interfaces/background-tasks-module-options.interface.js';

export const {
  ConfigurableModuleClass: ConfigurableBackgroundTasksModule,
  OPTIONS_TYPE: BACKGROUND_TASKS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: BACKGROUND_TASKS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<BackgroundTasksModuleOptions>({
  moduleName: 'BackgroundTasks',
  // Declared in the core, so that the runner injects it without importing the module's definition.
  optionsInjectionToken: BACKGROUND_TASKS_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  // Every key here is an extra (kept out of the options): `undefined` is `globalInterceptor`'s default.
  .setExtras<BackgroundTasksModuleExtras>({ isGlobal: true, requestScoped: true, globalInterceptor: undefined }, shapeModule)
  .build();
