// `param-decorator`: the fast way in. The handler takes the request's BackgroundTasks as a `@Tasks()`
// parameter, so the controller stays a singleton; one no-op task per request. Goals 1 and 4.
import { Controller, Get, Module } from '@nestjs/common';
import { BackgroundTasks, BackgroundTasksModule, Tasks } from 'nestjs-background-tasks';
import { BODY, noopTask, ROUTE, taskCounter } from '../task-counter.js';

@Controller()
export class TaskController {
  @Get(ROUTE)
  get(@Tasks() tasks: BackgroundTasks) {
    taskCounter.added++;
    tasks.addTask(noopTask);
    return BODY;
  }
}

@Module({ imports: [BackgroundTasksModule.forRoot()], controllers: [TaskController] })
export class AppModule {}
