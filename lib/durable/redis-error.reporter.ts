import type { Logger } from '@nestjs/common';
import { QUEUE_ERROR } from './durable.messages.js';

/** How long the same connection error stays quiet after it was logged, in ms. */
const REPEAT_AFTER = 60_000;

/**
 * Logs what BullMQ emits as `error` (a Queue or Worker without an `error` listener would crash the
 * process) without flooding the log: while Redis is down, ioredis reports every reconnect attempt.
 */
export function reportRedisErrors(
  emitter: { on(event: 'error', listener: (error: Error) => void): unknown },
  logger: Logger,
  queue: string,
  role: 'queue' | 'worker' | 'flow producer',
): void {
  let last = '';
  let lastAt = 0;
  emitter.on('error', (error: Error) => {
    const message = error?.message ?? String(error);
    const now = Date.now();
    if (message === last && now - lastAt < REPEAT_AFTER) return;
    last = message;
    lastAt = now;
    logger.error(QUEUE_ERROR(queue, role, message));
  });
}
