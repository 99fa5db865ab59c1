import { BACKGROUND_TASKS_MODULE_OPTIONS } from '../core/background-tasks.constants.js';
import type { BackgroundTasksModuleOptions } from '../interfaces/background-tasks-module-options.interface.js';
import type { BullMq, DurableEngine, RedisConstructor } from './bullmq.types.js';
import { BULLMQ_MISSING } from './durable.messages.js';
import { isRedisClient } from './queue-target.js';

/** Injection token of the loaded `DurableEngine`; `undefined` when durable mode is off. */
export const DURABLE_ENGINE = Symbol('nestjs-background-tasks:durable-engine');

/**
 * Loads `bullmq` only when durable mode is configured: the package imports without it, and apps that
 * do not use durable mode never load it. Runs in an async factory (no top-level await).
 */
export async function loadDurableEngine(options: BackgroundTasksModuleOptions | undefined): Promise<DurableEngine | undefined> {
  const durable = options?.durable;
  if (durable === undefined || durable === null) return undefined;
  let bullmq: BullMq;
  try {
    bullmq = (await import('bullmq')) as unknown as BullMq;
  } catch (error) {
    throw new Error(BULLMQ_MISSING('bullmq', error instanceof Error ? error.message : String(error)));
  }
  // This package creates its Redis clients with ioredis (as BullMQ 6 does from connection options) so
  // that it can always close them. Only a client handed in makes ioredis optional.
  const connection = durable.queue === undefined ? durable.connection : (durable.queue as { opts?: { connection?: unknown } }).opts?.connection;
  try {
    const ioredis = (await import('ioredis')) as unknown as { default?: RedisConstructor; Redis?: RedisConstructor };
    const Redis = ioredis.Redis ?? ioredis.default;
    if (typeof Redis !== 'function') throw new Error('it exports no Redis class');
    return { bullmq, Redis };
  } catch (error) {
    if (isRedisClient(connection)) return { bullmq };
    throw new Error(BULLMQ_MISSING('ioredis', error instanceof Error ? error.message : String(error)));
  }
}

/** The provider of `DURABLE_ENGINE`. */
export const durableEngineProvider = {
  provide: DURABLE_ENGINE,
  useFactory: loadDurableEngine,
  inject: [BACKGROUND_TASKS_MODULE_OPTIONS],
};
