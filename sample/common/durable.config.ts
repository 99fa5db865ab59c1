import type { DurableOptions } from 'nestjs-background-tasks';
import { sampleConfig } from './sample.config.js';

/** Durable mode when REDIS_URL is set; the web app only enqueues, the worker process runs the jobs. */
export function durableOptions(role: 'web' | 'worker'): DurableOptions | undefined {
  if (sampleConfig.redisUrl === undefined) return undefined;
  return {
    connection: { url: sampleConfig.redisUrl },
    queueName: 'sample-tasks',
    worker: role === 'worker',
  };
}
