// `param-decorator-lean-no-task`: `param-decorator-lean` whose handler takes `@Tasks()` but sends its task
// to `setImmediate` instead of `addTask`: the factory's share of goal 1 (open the batch, register it,
// queue its turn-end look, the facade). Opt-in: BENCH_SPLITS=1.
import { Controller, Get, Module } from '@nestjs/common';
import { BackgroundTasks, BackgroundTasksModule, Tasks } from 'nestjs-background-tasks';
import { BODY, noopTask, ROUTE, taskCounter } from '../task-counter.js';

@Controller()
class TasksTakenController {
  @Get(ROUTE)
  get(@Tasks() tasks: BackgroundTasks) {
    taskCounter.added++;
    if (tasks !== undefined) setImmediate(noopTask);
    return BODY;
  }
}

@Module({ imports: [BackgroundTasksModule.forRoot({ globalInterceptor: false })], controllers: [TasksTakenController] })
export class AppModule {}
