// `noop-global-interceptor`: bare plus a global interceptor of our own that only returns next.handle().
// Separates what Nest charges for running any global interceptor from what the library's does (goal 3).
import { Controller, Get, Injectable, Module, type CallHandler, type NestInterceptor } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { BODY, ROUTE } from '../task-counter.js';

@Injectable()
class PassThroughInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler) {
    return next.handle();
  }
}

@Controller()
class BareController {
  @Get(ROUTE)
  get() {
    return BODY;
  }
}

@Module({ controllers: [BareController], providers: [{ provide: APP_INTERCEPTOR, useClass: PassThroughInterceptor }] })
export class AppModule {}
