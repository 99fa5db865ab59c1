// `task-50ms`: the card's API with a task that waits 50 ms (a slow email, an HTTP call). Goal 5: the
// response must not wait for it, so p99 stays within 10% of tasks-injected-no-task under the same load.
import { Controller, Get, Module } from '@nestjs/common';
import { BackgroundTasks, BackgroundTasksModule } from 'nestjs-background-tasks';
import { BODY, ROUTE, sleepTask, taskCounter } from '../task-counter.js';

@Controller()
class SlowTaskController {
  constructor(private readonly tasks: BackgroundTasks) {}

  @Get(ROUTE)
  get() {
    taskCounter.added++;
    this.tasks.addTask(sleepTask, 50);
    return BODY;
  }
}

@Module({ imports: [BackgroundTasksModule.forRoot()], controllers: [SlowTaskController] })
export class AppModule {}
