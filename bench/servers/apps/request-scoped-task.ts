// `request-scoped-task`: the card's API. The controller injects the request-scoped BackgroundTasks and
// adds one no-op task per request. Goal 2 (vs request-scoped-no-task), goals 1 and 4 until faster modes exist.
import { Controller, Get, Module } from '@nestjs/common';
import { BackgroundTasks, BackgroundTasksModule } from 'nestjs-background-tasks';
import { BODY, noopTask, ROUTE, taskCounter } from '../task-counter.js';

@Controller()
export class TaskController {
  constructor(private readonly tasks: BackgroundTasks) {}

  @Get(ROUTE)
  get() {
    taskCounter.added++;
    this.tasks.addTask(noopTask);
    return BODY;
  }
}

@Module({ imports: [BackgroundTasksModule.forRoot()], controllers: [TaskController] })
export class AppModule {}
