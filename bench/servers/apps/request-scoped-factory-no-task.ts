// `request-scoped-factory-no-task`: like request-scoped-no-task, but the request-scoped provider is a
// factory injecting REQUEST and a singleton, as the library's BackgroundTasks provider is: what Nest's
// request-scope DI charges for that shape alone, with no library.
import { Controller, Get, Injectable, Module, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { BODY, ROUTE } from '../task-counter.js';

@Injectable()
class Singleton {}

class PerRequestThing {
  constructor(readonly request: unknown, readonly singleton: Singleton) {}
}

@Controller()
class RequestScopedController {
  constructor(private readonly thing: PerRequestThing) {}

  @Get(ROUTE)
  get() {
    return BODY;
  }
}

@Module({
  controllers: [RequestScopedController],
  providers: [
    Singleton,
    {
      provide: PerRequestThing,
      scope: Scope.REQUEST,
      inject: [REQUEST, Singleton],
      useFactory: (request: unknown, singleton: Singleton) => new PerRequestThing(request, singleton),
    },
  ],
})
export class AppModule {}
