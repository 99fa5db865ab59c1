import { Injectable, Logger } from '@nestjs/common';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackgroundTask } from 'nestjs-background-tasks';
import { sampleConfig } from '../common/sample.config.js';

/** Shows who a mail went to without printing the address. */
export function maskEmail(email: string): string {
  const [user, domain] = email.split('@');
  return `${user.slice(0, 1)}***@${domain ?? '?'}`;
}

/**
 * The slow part of a signup: talking to a mail server. Simulated with a delay and a line in an outbox
 * file, as in FastAPI's tutorial. A task handler: in-process by default; with REDIS_URL set, enqueued
 * and run by the worker process (`npm run sample:worker`), which finds it by its name.
 */
@Injectable()
export class Mailer {
  private readonly logger = new Logger('Mailer');

  @BackgroundTask('email.welcome')
  async sendWelcome(email: string, options: { locale: string }): Promise<void> {
    this.logger.log(`Sending welcome e-mail to ${maskEmail(email)} (${options.locale})...`);
    await sleep(sampleConfig.mailDelayMs);
    await mkdir(sampleConfig.dataDir, { recursive: true });
    await appendFile(join(sampleConfig.dataDir, 'outbox.log'), `welcome ${email} ${options.locale}\n`);
    this.logger.log(`Welcome e-mail to ${maskEmail(email)} sent (pid ${process.pid})`);
  }
}
