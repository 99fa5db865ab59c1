import { Scope, type FactoryProvider } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { TaskRunner } from '../runner/task-runner.js';
import { BackgroundTasks } from './background-tasks.service.js';
import { shareTasks, tasksForRequest } from './request-batches.js';
import { ScopedBackgroundTasks } from './scoped-background-tasks.js';

/** `BackgroundTasks`, request-scoped: every provider that injects it in one request shares one batch. */
export const backgroundTasksProvider: FactoryProvider<BackgroundTasks> = {
  provide: BackgroundTasks,
  scope: Scope.REQUEST,
  inject: [REQUEST, TaskRunner],
  useFactory: tasksForRequest,
};

/** `BackgroundTasks` under `requestScoped: false`: one singleton over the request scope. */
export const scopedBackgroundTasksProvider: FactoryProvider<BackgroundTasks> = {
  provide: BackgroundTasks,
  inject: [TaskRunner],
  useFactory: (runner: TaskRunner) => shareTasks(runner, new ScopedBackgroundTasks(runner)),
};
