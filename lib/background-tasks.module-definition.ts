import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { BackgroundTasksModuleExtras } from './interfaces/background-tasks-module-extras.interface.js';
import type { BackgroundTasksModuleOptions } from './interfaces/background-tasks-module-options.interface.js';

export const {
  ConfigurableModuleClass: ConfigurableBackgroundTasksModule,
  MODULE_OPTIONS_TOKEN: BACKGROUND_TASKS_MODULE_OPTIONS,
  OPTIONS_TYPE: BACKGROUND_TASKS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: BACKGROUND_TASKS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<BackgroundTasksModuleOptions>({ moduleName: 'BackgroundTasks' })
  .setClassMethodName('forRoot')
  .setExtras<BackgroundTasksModuleExtras>({ isGlobal: true, globalInterceptor: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
