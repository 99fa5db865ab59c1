import { Logger } from '@nestjs/common';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleConfig } from '../common/sample.config.js';

const logger = new Logger('Mailer');

/** Shows who a mail went to without printing the address. */
export function maskEmail(email: string): string {
  const [user, domain] = email.split('@');
  return `${user.slice(0, 1)}***@${domain ?? '?'}`;
}

/**
 * The slow part of a signup: talking to a mail server. Simulated with a delay and a line in an outbox
 * file, as in FastAPI's tutorial.
 */
export async function sendWelcomeEmail(email: string, options: { locale: string }): Promise<void> {
  logger.log(`Sending welcome e-mail to ${maskEmail(email)} (${options.locale})...`);
  await sleep(sampleConfig.mailDelayMs);
  await mkdir(sampleConfig.dataDir, { recursive: true });
  await appendFile(join(sampleConfig.dataDir, 'outbox.log'), `welcome ${email} ${options.locale}\n`);
  logger.log(`Welcome e-mail to ${maskEmail(email)} sent`);
}
