import { performance } from 'node:perf_hooks';
import { clipMessage, jsonWithin } from '../core/bounded-text.js';
import { describeError } from '../core/describe-error.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import type { EndDetails } from '../core/task-batch-host.interface.js';
import type { TaskOutcome } from '../interfaces/task-info.interface.js';
import type { TaskStatus } from '../interfaces/task-status.interface.js';
import type { StatusExtras } from './task-status.page.js';

/** An error's name and message, never its stack (it may show values); the message clipped (`clipMessage`). */
export function summarizeError(error: unknown): { name: string; message: string } {
  let name = 'Error';
  try {
    // Duck-typed: a DOMException (TimeoutError, AbortError) or an error of another realm has a name too.
    const own = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
    if (typeof own === 'string' && own !== '') name = own;
  } catch {
    // A hostile getter: the default name stands.
  }
  const { message } = describeError(error);
  return { name, message: clipMessage(message) };
}

/** What an ended status keeps of its error and result, or undefined when neither (most tasks). */
export function extrasOf(outcome: TaskOutcome, details: EndDetails, resultMaxBytes: number): StatusExtras | undefined {
  const error = 'error' in details ? summarizeError(details.error) : undefined;
  const result = outcome === 'succeeded' ? jsonWithin(details.result, resultMaxBytes) : undefined;
  if (error === undefined && result === undefined) return undefined;
  return { ...(error === undefined ? {} : { error }), ...(result === undefined ? {} : { result }) };
}

/** Read once: `timeOrigin` is a getter, and it never changes. */
const TIME_ORIGIN = performance.timeOrigin;

/** A `performance.now()` time as epoch ms, rounded. */
export function epochOf(time: number | undefined): number | undefined {
  return time === undefined ? undefined : Math.round(TIME_ORIGIN + time);
}

/**
 * One task's status as the store hands it to the tracker: of a live task, it reads the task itself
 * (attempt, start, retrying); of an ended one, what the store kept. Also how the store keeps a live task
 * whose row a later task took, until it ends (see `TaskStatusStore`).
 */
export class TaskStatusEntry {
  task: ScheduledTask | undefined;
  batch: TaskBatch | undefined;
  name: string;
  durable: boolean;
  maxAttempts: number;
  state: TaskOutcome | undefined = undefined;
  attempts = 0;
  startedAt: number | undefined = undefined;
  endedAt: number | undefined = undefined;
  extras: StatusExtras | undefined = undefined;
  method: string | undefined = undefined;
  route: string | undefined = undefined;
  /** Of an ended entry outside the ring: it leaves once the store's newest task is past this. */
  evictAfter = Infinity;

  constructor(
    readonly id: string,
    readonly addedAt: number,
    task: ScheduledTask | undefined,
    batch: TaskBatch | undefined,
  ) {
    this.task = task;
    this.batch = batch;
    this.name = task?.name ?? '';
    this.durable = task?.durable !== undefined;
    this.maxAttempts = task === undefined ? 0 : task.options.retries + 1;
  }

  get ended(): boolean {
    return this.state !== undefined;
  }

  /** The task's outcome: what the status keeps of it. `resultMaxBytes` 0: no result kept. */
  end(task: ScheduledTask, outcome: TaskOutcome, details: EndDetails, resultMaxBytes: number, now: number): void {
    this.state = outcome;
    this.endedAt = now;
    this.attempts = task.attempt;
    this.startedAt = epochOf(task.startedAt);
    const request = this.batch?.requestInfo();
    this.method = request?.method;
    this.route = request?.route;
    this.extras = extrasOf(outcome, details, resultMaxBytes);
    this.task = undefined;
    this.batch = undefined;
  }

  status(): TaskStatus {
    const task = this.task;
    const live = task !== undefined;
    const state = live ? (task.attempt === 0 ? 'pending' : task.retrying ? 'retrying' : 'running') : (this.state as TaskOutcome);
    const startedAt = live ? epochOf(task.startedAt) : this.startedAt;
    const request = live ? this.batch?.requestInfo() : this.method === undefined ? undefined : { method: this.method, route: this.route as string };
    const { error, result } = this.extras ?? {};
    return {
      id: this.id,
      name: this.name,
      state,
      attempts: live ? task.attempt : this.attempts,
      maxAttempts: this.maxAttempts,
      addedAt: this.addedAt,
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(this.endedAt === undefined ? {} : { endedAt: this.endedAt }),
      ...(error === undefined ? {} : { error: { ...error } }),
      ...(result === undefined ? {} : { result: JSON.parse(result) as unknown }),
      durable: this.durable,
      ...(request === undefined ? {} : { request: { method: request.method, route: request.route } }),
    };
  }
}
