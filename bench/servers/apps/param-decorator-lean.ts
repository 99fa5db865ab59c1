// `param-decorator-lean`: the fastest way in. `@Tasks()` with `globalInterceptor: false`: no interceptor,
// the parameter arms the batch and the response's status tells the outcome. Goals 1 and 4.
import { Controller, Get, Module } from '@nestjs/common';
import { BackgroundTasks, BackgroundTasksModule, Tasks } from 'nestjs-background-tasks';
import { BODY, noopTask, ROUTE, taskCounter } from '../task-counter.js';

@Controller()
class TaskController {
  @Get(ROUTE)
  get(@Tasks() tasks: BackgroundTasks) {
    taskCounter.added++;
    tasks.addTask(noopTask);
    return BODY;
  }
}

@Module({ imports: [BackgroundTasksModule.forRoot({ globalInterceptor: false })], controllers: [TaskController] })
export class AppModule {}
