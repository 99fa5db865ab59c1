// `fire-and-forget`: what users do without a library, `setImmediate(task)`. Goal 1's reference.
import { Controller, Get, Module } from '@nestjs/common';
import { BODY, noopTask, ROUTE, taskCounter } from '../task-counter.js';

@Controller()
class FireAndForgetController {
  @Get(ROUTE)
  get() {
    taskCounter.added++;
    setImmediate(noopTask);
    return BODY;
  }
}

@Module({ controllers: [FireAndForgetController] })
export class AppModule {}
