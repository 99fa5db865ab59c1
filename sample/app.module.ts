import { Controller, Get, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { BackgroundTasksModule } from 'nestjs-background-tasks';
import { AuditService } from './audit/audit.service.js';
import { durableOptions } from './common/durable.config.js';
import { RequestLogMiddleware } from './common/request-log.middleware.js';
import { ReportsController } from './reports/reports.controller.js';
import { Mailer } from './signup/mailer.js';
import { SignupController } from './signup/signup.controller.js';
import { SignupService } from './signup/signup.service.js';
import { UploadsController } from './uploads/uploads.controller.js';

/** A route that never touches background tasks: it stays a singleton. */
@Controller('health')
export class HealthController {
  @Get()
  check() {
    return { status: 'ok' };
  }
}

@Module({
  imports: [BackgroundTasksModule.forRoot({ drainTimeout: 10_000, durable: durableOptions('web') })],
  controllers: [SignupController, ReportsController, UploadsController, HealthController],
  providers: [SignupService, AuditService, Mailer],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(RequestLogMiddleware).forRoutes('*path');
  }
}
