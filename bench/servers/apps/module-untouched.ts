// `module-untouched`: the library's module is imported (so its global interceptor runs on every route)
// but the route never injects BackgroundTasks. Goal 3: the module costs such routes (almost) nothing.
import { Controller, Get, Module } from '@nestjs/common';
import { BackgroundTasksModule } from 'nestjs-background-tasks';
import { BODY, ROUTE } from '../task-counter.js';

@Controller()
class UntouchedController {
  @Get(ROUTE)
  get() {
    return BODY;
  }
}

@Module({ imports: [BackgroundTasksModule.forRoot()], controllers: [UntouchedController] })
export class AppModule {}
