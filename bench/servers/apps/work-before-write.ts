// `work-before-write`: fire-and-forget plus ~3 us of CPU in the handler, before the response is written.
// With `work-after-write`, it shows where work costs a saturated server the most (BENCHMARKS.md, finding 8).
import { Controller, Get, Module } from '@nestjs/common';
import { BODY, noopTask, ROUTE, taskCounter } from '../task-counter.js';
import { work } from '../work.js';

@Controller()
class WorkBeforeWriteController {
  @Get(ROUTE)
  get() {
    taskCounter.added++;
    work();
    setImmediate(noopTask);
    return BODY;
  }
}

@Module({ controllers: [WorkBeforeWriteController] })
export class AppModule {}
