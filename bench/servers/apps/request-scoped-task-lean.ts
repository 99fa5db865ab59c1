// `request-scoped-task-lean`: the card's request-scoped BackgroundTasks with `globalInterceptor: false`,
// addTask(noopTask) per request. Goal 2 (vs request-scoped-no-task).
import { Controller, Get, Module } from '@nestjs/common';
import { BackgroundTasks, BackgroundTasksModule } from 'nestjs-background-tasks';
import { BODY, noopTask, ROUTE, taskCounter } from '../task-counter.js';

@Controller()
class TaskController {
  constructor(private readonly tasks: BackgroundTasks) {}

  @Get(ROUTE)
  get() {
    taskCounter.added++;
    this.tasks.addTask(noopTask);
    return BODY;
  }
}

@Module({ imports: [BackgroundTasksModule.forRoot({ globalInterceptor: false })], controllers: [TaskController] })
export class AppModule {}
