// `request-scoped-no-task`: Nest's own price of request scope, with no library at all. The controller
// injects a trivial request-scoped provider that, like BackgroundTasks, injects REQUEST. Goal 2's reference.
import { Controller, Get, Inject, Injectable, Module, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { BODY, ROUTE } from '../task-counter.js';

@Injectable({ scope: Scope.REQUEST })
class PerRequestThing {
  constructor(@Inject(REQUEST) readonly request: unknown) {}
}

@Controller()
class RequestScopedController {
  constructor(private readonly thing: PerRequestThing) {}

  @Get(ROUTE)
  get() {
    return BODY;
  }
}

@Module({ controllers: [RequestScopedController], providers: [PerRequestThing] })
export class AppModule {}
