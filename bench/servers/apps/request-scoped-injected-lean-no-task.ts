// `request-scoped-injected-lean-no-task`: `request-scoped-task-lean` without the `addTask`: the controller
// injects BackgroundTasks (request-scoped) and adds nothing. The injection's share of goal 2.
// Opt-in: BENCH_SPLITS=1.
import { Controller, Get, Module } from '@nestjs/common';
import { BackgroundTasks, BackgroundTasksModule } from 'nestjs-background-tasks';
import { BODY, ROUTE } from '../task-counter.js';

@Controller()
class InjectedController {
  constructor(readonly tasks: BackgroundTasks) {}

  @Get(ROUTE)
  get() {
    return BODY;
  }
}

@Module({ imports: [BackgroundTasksModule.forRoot({ globalInterceptor: false })], controllers: [InjectedController] })
export class AppModule {}
