import { Controller, Get, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { BackgroundTasksModule } from 'nestjs-background-tasks';
import { AuditService } from './audit/audit.service.js';
import { durableOptions } from './common/durable.config.js';
import { RequestLogMiddleware } from './common/request-log.middleware.js';
import { ReportsController } from './reports/reports.controller.js';
import { Mailer } from './signup/mailer.js';
import { SignupController } from './signup/signup.controller.js';
import { SignupService } from './signup/signup.service.js';
import { CsvReportsController } from './uploads/csv-reports.controller.js';
import { UploadRegistry } from './uploads/upload.registry.js';
import { UploadsController } from './uploads/uploads.controller.js';
import { UploadsService } from './uploads/uploads.service.js';

/** A route that never touches background tasks: it stays a singleton. */
@Controller('health')
export class HealthController {
  @Get()
  check() {
    return { status: 'ok' };
  }
}

@Module({
  // concurrency 4: a request's tasks run up to four at once (an upload's chunks count in parallel).
  imports: [BackgroundTasksModule.forRoot({ drainTimeout: 10_000, concurrency: 4, durable: durableOptions('web') })],
  controllers: [SignupController, ReportsController, UploadsController, CsvReportsController, HealthController],
  providers: [SignupService, AuditService, Mailer, UploadsService, UploadRegistry],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(RequestLogMiddleware).forRoutes('*path');
  }
}
