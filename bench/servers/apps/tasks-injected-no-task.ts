// `tasks-injected-no-task`: injects BackgroundTasks but adds nothing. Separates what the library costs
// by merely being injected (construction, registry) from what addTask and the completion wait cost.
// Also the reference of goal 5 (the same route with no task), in its paced form.
import { Controller, Get, Module } from '@nestjs/common';
import { BackgroundTasks, BackgroundTasksModule } from 'nestjs-background-tasks';
import { BODY, ROUTE } from '../task-counter.js';

@Controller()
class InjectedController {
  constructor(private readonly tasks: BackgroundTasks) {}

  @Get(ROUTE)
  get() {
    return BODY;
  }
}

@Module({ imports: [BackgroundTasksModule.forRoot()], controllers: [InjectedController] })
export class AppModule {}
