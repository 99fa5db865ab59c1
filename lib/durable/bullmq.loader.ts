import { BACKGROUND_TASKS_MODULE_OPTIONS } from '../background-tasks.module-definition.js';
import type { BackgroundTasksModuleOptions } from '../interfaces/background-tasks-module-options.interface.js';
import type { BullMq } from './bullmq.types.js';
import { BULLMQ_MISSING } from './durable.messages.js';
import { isRedisClient } from './queue-target.js';

/** Injection token of the loaded `bullmq` module; `undefined` when durable mode is off. */
export const BULLMQ = Symbol('nestjs-background-tasks:bullmq');

/**
 * Loads `bullmq` only when durable mode is configured: the package imports without it, and apps that
 * do not use durable mode never load it. Runs in an async factory (no top-level await).
 */
export async function loadBullMq(options: BackgroundTasksModuleOptions | undefined): Promise<BullMq | undefined> {
  const durable = options?.durable;
  if (durable === undefined || durable === null) return undefined;
  let bullmq: BullMq;
  try {
    bullmq = (await import('bullmq')) as unknown as BullMq;
  } catch (error) {
    throw new Error(BULLMQ_MISSING('bullmq', error instanceof Error ? error.message : String(error)));
  }
  // BullMQ 6 creates its Redis clients with ioredis, an optional peer of its own: say so at startup
  // rather than at the first enqueue.
  if (durable.queue === undefined && !isRedisClient(durable.connection)) {
    try {
      await import('ioredis');
    } catch (error) {
      throw new Error(BULLMQ_MISSING('ioredis', error instanceof Error ? error.message : String(error)));
    }
  }
  return bullmq;
}

/** The provider of `BULLMQ`. */
export const bullMqProvider = {
  provide: BULLMQ,
  useFactory: loadBullMq,
  inject: [BACKGROUND_TASKS_MODULE_OPTIONS],
};
