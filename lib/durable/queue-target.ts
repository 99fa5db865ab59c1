import type { BullQueue } from './bullmq.types.js';
import type { ResolvedDurableOptions } from '../runner/durable-options.resolver.js';

/** Where jobs go and come from: a queue name, its key prefix, and the Redis connection. */
export interface QueueTarget {
  readonly name: string;
  readonly prefix?: string;
  readonly connection: unknown;
}

/** A client instance (ioredis, node-redis) rather than connection options. */
export function isRedisClient(connection: unknown): boolean {
  const candidate = connection as { duplicate?: unknown; connect?: unknown } | undefined;
  return typeof candidate?.duplicate === 'function' && typeof candidate.connect === 'function';
}

/** An ioredis client: its options can be copied into clients of this package's own. */
export function isIoRedis(connection: unknown): boolean {
  const candidate = connection as { defineCommand?: unknown; options?: unknown } | undefined;
  return isRedisClient(connection) && typeof candidate?.defineCommand === 'function' && typeof candidate.options === 'object';
}

/** The user's queue decides when there is one; otherwise the `durable` options do. */
export function queueTarget(durable: ResolvedDurableOptions): QueueTarget {
  const queue = durable.queue as BullQueue | undefined;
  if (queue !== undefined) return { name: queue.name, prefix: queue.opts.prefix, connection: queue.opts.connection };
  return { name: durable.queueName, prefix: durable.prefix, connection: durable.connection };
}
