// `module-untouched-lean`: the module imported with `globalInterceptor: false`, and a route that never
// touches tasks. Goal 3: such routes pay nothing at all (no interceptor runs).
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

@Module({ imports: [BackgroundTasksModule.forRoot({ globalInterceptor: false })], controllers: [UntouchedController] })
export class AppModule {}
