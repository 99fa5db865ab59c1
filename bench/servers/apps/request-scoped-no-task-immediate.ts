// `request-scoped-no-task-immediate`: goal 2's reference plus a fire-and-forget `setImmediate(noopTask)`
// per request, no library: what running one task costs a request-scoped route by itself.
// Opt-in: BENCH_SPLITS=1.
import { Controller, Get, Inject, Injectable, Module, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { BODY, noopTask, ROUTE, taskCounter } from '../task-counter.js';

@Injectable({ scope: Scope.REQUEST })
class PerRequestThing {
  constructor(@Inject(REQUEST) readonly request: unknown) {}
}

@Controller()
class RequestScopedController {
  constructor(readonly thing: PerRequestThing) {}

  @Get(ROUTE)
  get() {
    taskCounter.added++;
    setImmediate(noopTask);
    return BODY;
  }
}

@Module({ controllers: [RequestScopedController], providers: [PerRequestThing] })
export class AppModule {}
