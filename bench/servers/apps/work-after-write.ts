// `work-after-write`: the same ~3 us of CPU as `work-before-write`, done in the `setImmediate` task, after
// the turn's responses have been written.
import { Controller, Get, Module } from '@nestjs/common';
import { BODY, noopTask, ROUTE, taskCounter } from '../task-counter.js';
import { work } from '../work.js';

function workThenCount(): void {
  work();
  noopTask();
}

@Controller()
class WorkAfterWriteController {
  @Get(ROUTE)
  get() {
    taskCounter.added++;
    setImmediate(workThenCount);
    return BODY;
  }
}

@Module({ controllers: [WorkAfterWriteController] })
export class AppModule {}
