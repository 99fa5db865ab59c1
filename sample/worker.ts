import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BackgroundTasksModule } from 'nestjs-background-tasks';
import { durableOptions } from './common/durable.config.js';
import { Mailer } from './signup/mailer.js';

/** The worker process: the handlers and the module in durable mode, no HTTP server. */
@Module({
  imports: [BackgroundTasksModule.forRoot({ drainTimeout: 10_000, durable: durableOptions('worker') })],
  providers: [Mailer],
})
export class WorkerModule {}

async function bootstrap() {
  const logger = new Logger('Worker');
  if (durableOptions('worker') === undefined) {
    logger.error('Set REDIS_URL (for example redis://127.0.0.1:6379): the worker takes its jobs from Redis.');
    process.exitCode = 1;
    return;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['log', 'error', 'warn', 'debug'] });
  // SIGTERM / Ctrl+C let the running job finish before the process exits.
  app.enableShutdownHooks();
  logger.log(`Worker ready (pid ${process.pid}): sending welcome e-mails from queue "sample-tasks"`);
}

void bootstrap();
