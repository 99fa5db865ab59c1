// `custom-param-no-library`: fire-and-forget with a trivial custom parameter decorator and no library:
// what Nest's parameter pipeline alone costs a route, the floor under any `@Tasks()`-style way in.
import { Controller, createParamDecorator, Get, Module } from '@nestjs/common';
import { BODY, noopTask, ROUTE, taskCounter } from '../task-counter.js';

const Constant = createParamDecorator(() => 42);

@Controller()
class CustomParamController {
  @Get(ROUTE)
  get(@Constant() value: number) {
    taskCounter.added++;
    if (value === 42) setImmediate(noopTask);
    return BODY;
  }
}

@Module({ controllers: [CustomParamController] })
export class AppModule {}
