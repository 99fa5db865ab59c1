import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';
import type { BackoffOptions } from '../interfaces/task-options.interface.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { BullJobsOptions } from './bullmq.types.js';
import type { ResolvedDurableOptions } from '../runner/durable-options.resolver.js';

/** BullMQ backoff type of durable tasks: the worker computes the delay as in-process retries do. */
export const TASK_BACKOFF = 'nestjs-background-tasks';

/**
 * A durable task's job data. The job's name is the handler's name; nothing here is ever evaluated:
 * the worker looks the name up among its registered handlers and passes `args` to the one it finds.
 */
export interface DurableJobPayload {
  /** Format version, so that a worker can refuse what it does not understand. */
  readonly v: 1;
  readonly args: unknown[];
  /** The task's own name, when the caller gave one (`with({ name })`), for log lines. */
  readonly task?: string;
  /** `addAbortableTask`: the handler receives the attempt's AbortSignal first. */
  readonly signal?: true;
  /** Per attempt, in ms. */
  readonly timeout?: number;
  /** As given; absent when the producer's backoff was a function: the worker's default applies. */
  readonly backoff?: BackoffOptions;
  /** Method and route pattern of the request that added it (never the URL). */
  readonly request?: TaskRequestInfo;
}

/** A job for `Queue.addBulk`. */
export interface DurableJob {
  name: string;
  data: DurableJobPayload;
  opts: BullJobsOptions;
}

/** Turns a durable task into its job; its arguments passed the JSON check at `addTask`. */
export function toJob(task: ScheduledTask, handler: string, request: TaskRequestInfo | undefined, durable: ResolvedDurableOptions): DurableJob {
  const { timeout, retries, backoffOptions } = task.options;
  const data: DurableJobPayload = {
    v: 1,
    args: [...task.args],
    ...(task.namedExplicitly ? { task: task.name } : {}),
    ...(task.passSignal ? { signal: true as const } : {}),
    ...(timeout > 0 ? { timeout } : {}),
    ...(backoffOptions ? { backoff: backoffOptions } : {}),
    ...(request ? { request: { method: request.method, route: request.route } } : {}),
  };
  return {
    name: handler,
    data,
    opts: {
      jobId: task.id,
      attempts: retries + 1,
      ...(retries > 0 ? { backoff: { type: TASK_BACKOFF } } : {}),
      removeOnComplete: durable.removeOnComplete,
      removeOnFail: durable.removeOnFail,
    },
  };
}

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';

/** The payload, if `data` is one this version understands; checks shapes only. */
export function readPayload(data: unknown): DurableJobPayload | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const payload = data as Partial<DurableJobPayload>;
  if (payload.v !== 1 || !Array.isArray(payload.args)) return undefined;
  if (payload.timeout !== undefined && (typeof payload.timeout !== 'number' || !(payload.timeout >= 0))) return undefined;
  if (payload.task !== undefined && typeof payload.task !== 'string') return undefined;
  if (payload.backoff !== undefined && (typeof payload.backoff !== 'object' || payload.backoff === null)) return undefined;
  const request = payload.request as { method?: unknown; route?: unknown } | undefined;
  if (request !== undefined && (typeof request !== 'object' || request === null || !optionalString(request.method) || !optionalString(request.route))) {
    return undefined;
  }
  return payload as DurableJobPayload;
}
