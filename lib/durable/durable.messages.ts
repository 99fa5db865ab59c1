import { describeRequest } from '../core/describe-request.js';
import { quoteName } from '../core/quote-name.js';
import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';

/** Error-message factories of durable mode. Task arguments never appear in any of them. */

export const BULLMQ_MISSING = (dependency: string, cause: string) =>
  `BackgroundTasksModule option "durable" needs the package "${dependency}" (npm install bullmq ioredis): ${cause}`;

export const NOT_JSON = (method: string, handler: string, problem: string) =>
  `${method}: task ${quoteName(handler)} runs on a BullMQ worker, so its arguments must be JSON-serializable, but ${problem}.`;

export const FUNCTION_OPTION = (method: string, handler: string, option: string) =>
  `${method}: task ${quoteName(handler)} runs on a BullMQ worker and option "${option}" is a function, which cannot travel ` +
  `with the job. Give backoff as { type, delay, maxDelay, jitter }; for retryIf, set it in the worker's module defaults.`;

export const DUPLICATE_HANDLER = (name: string, first: string, second: string) =>
  `@BackgroundTask('${name}') is declared twice (${first} and ${second}): handler names must be unique in an app.`;

export const SCOPED_HANDLER = (name: string, where: string) =>
  `@BackgroundTask('${name}') on ${where}: handlers must live on singleton providers, but this one is ` +
  `request-scoped or transient (it depends on something request-scoped, such as BackgroundTasks?).`;

export const UNKNOWN_DURABLE_HANDLERS = (names: string[]) =>
  `BackgroundTasksModule option "durable.handlers" names handlers that no provider declares: ${names
    .map((name) => `'${name}'`)
    .join(', ')} (is the provider in a module this app imports?)`;

export const ENQUEUED = (count: number, queue: string, request: TaskRequestInfo | undefined) =>
  `Enqueued ${count} durable task(s) of ${describeRequest(request)} to queue "${queue}"`;

export const ENQUEUE_FAILED = (names: string[], queue: string, request: TaskRequestInfo | undefined, cause: string, policy: string) =>
  `Could not enqueue ${names.length} durable task(s) (${names.map((n) => quoteName(n)).join(', ')}) of ${describeRequest(request)} ` +
  `to queue "${queue}": ${cause}. ${policy === 'fail' ? "They fail (onEnqueueError 'fail')" : "Running them in this process instead (onEnqueueError 'run-in-process')"}`;

export const ENQUEUE_TIMED_OUT = (timeout: number) => `no answer from Redis within ${timeout} ms (enqueueTimeout)`;

export const QUEUE_ERROR = (queue: string, role: string, cause: string) =>
  `Redis connection of the ${role} for queue "${queue}" failed: ${cause}`;

export const UNKNOWN_HANDLER = (name: string, queue: string) =>
  `No @BackgroundTask handler named ${quoteName(name)} in this worker (queue "${queue}"): the job fails without retry. ` +
  `Deploy the handler to every worker of the queue, or keep old names until their jobs are gone.`;

export const BAD_PAYLOAD = (name: string) => `Job ${quoteName(name)} carries no task payload this version understands: the job fails without retry.`;

export const JOB_RETRYING = (task: string, request: string, id: string | undefined, attempt: number, max: number) =>
  `Task ${quoteName(task)} of ${request} (job ${id}) failed on attempt ${attempt} of ${max}, retrying`;

export const JOB_FAILED = (task: string, request: string, id: string | undefined, attempts: number) =>
  `Task ${quoteName(task)} of ${request} (job ${id}) failed${attempts > 1 ? ` after ${attempts} attempts` : ''}`;

export const JOB_TIMED_OUT = (task: string, timeout: number) => `Task ${quoteName(task)} timed out after ${timeout} ms`;

export const JOB_TIMED_OUT_LAST = (task: string, request: string, id: string | undefined, timeout: number, attempts: number) =>
  `Task ${quoteName(task)} of ${request} (job ${id}) timed out after ${timeout} ms${attempts > 1 ? ` (attempt ${attempts} of ${attempts})` : ''}`;

export const JOB_STALLED = (id: string, queue: string) =>
  `Job ${id} of queue "${queue}" stalled (its worker stopped renewing the lock): it runs again`;

export const WORKER_DRAINING = (count: number, timeout: number) =>
  `Shutting down: the worker waits up to ${timeout} ms for ${count} running job(s)`;

export const WORKER_ABANDONED = (task: string, id: string | undefined) =>
  `Task ${quoteName(task)} (job ${id}) still running at the drain deadline: left to Redis, another worker runs it again once its lock expires`;

export const NO_HANDLERS = (queue: string) =>
  `durable.worker is on, but this app declares no @BackgroundTask handler: no worker takes jobs from queue "${queue}"`;

export const JOB_CANCELLED = (label: string, request: string, jobId: string | undefined) =>
  `Durable task ${quoteName(label)} of ${request} (job ${quoteName(String(jobId))}) cancelled by id`;
