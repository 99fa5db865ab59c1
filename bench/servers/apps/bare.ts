// `bare`: a Nest app with no library module; the ceiling every other Nest variant is compared to.
import { Controller, Get, Module } from '@nestjs/common';
import { BODY, ROUTE } from '../task-counter.js';

@Controller()
class BareController {
  @Get(ROUTE)
  get() {
    return BODY;
  }
}

@Module({ controllers: [BareController] })
export class AppModule {}
