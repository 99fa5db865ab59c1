import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { sampleConfig } from './common/sample.config.js';

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: ['log', 'error', 'warn', 'debug'] });
  // SIGTERM / Ctrl+C drain the background tasks before the process exits.
  app.enableShutdownHooks();
  await app.listen(sampleConfig.port, '127.0.0.1');
  const url = await app.getUrl();
  new Logger('Sample').log(`Listening on ${url.replace('[::1]', '127.0.0.1')} (files in ${sampleConfig.dataDir})`);
  if (sampleConfig.redisUrl !== undefined) {
    new Logger('Sample').log('Durable mode: welcome e-mails go to Redis; run `npm run sample:worker` to send them');
  }
  new Logger('Sample').log(`Try: curl -i -X POST ${url}/signup -H 'content-type: application/json' -d '{"email":"ada@example.com"}'`);
}

void bootstrap();
