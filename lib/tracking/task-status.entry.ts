import { describeError } from '../core/describe-error.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import type { EndDetails } from '../core/task-batch-host.interface.js';
import type { TaskOutcome } from '../interfaces/task-info.interface.js';
import type { TaskStatus } from '../interfaces/task-status.interface.js';

/** Longest error message a status keeps, in characters. */
const MAX_MESSAGE_LENGTH = 1000;

/** An error's name and message, never its stack (it may show values); the message cut to 1000 characters. */
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
  return { name, message: message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}...` : message };
}

/** The JSON text of `value` when it is JSON and within `maxBytes`; else undefined. */
function resultText(value: unknown, maxBytes: number): string | undefined {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value);
    return typeof text === 'string' && Buffer.byteLength(text) <= maxBytes ? text : undefined;
  } catch {
    return undefined; // a cycle, a bigint, a throwing toJSON: not kept
  }
}

/**
 * One task's entry in the status store. While the task lives it reads the task itself (attempt, start,
 * retrying); at the end it copies what the status shows and lets go of the task and its batch, so an
 * entry kept for an hour holds no arguments and no request.
 */
export class TaskStatusEntry {
  task: ScheduledTask | undefined;
  batch: TaskBatch | undefined;
  readonly id: string;
  readonly name: string;
  readonly durable: boolean;
  readonly maxAttempts: number;
  state: TaskOutcome | undefined = undefined;
  attempts = 0;
  startedAt: number | undefined = undefined;
  endedAt: number | undefined = undefined;
  error: { name: string; message: string } | undefined = undefined;
  result: string | undefined = undefined;
  /** Method and route once ended: two strings the router shares, not an object per entry (GC). */
  method: string | undefined = undefined;
  route: string | undefined = undefined;

  constructor(
    task: ScheduledTask,
    batch: TaskBatch,
    readonly addedAt: number,
  ) {
    this.task = task;
    this.batch = batch;
    this.id = task.id;
    this.name = task.name;
    this.durable = task.durable !== undefined;
    this.maxAttempts = task.options.retries + 1;
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
    if (request !== undefined) {
      this.method = request.method;
      this.route = request.route;
    }
    if ('error' in details) this.error = summarizeError(details.error);
    if (resultMaxBytes > 0 && outcome === 'succeeded') this.result = resultText(details.result, resultMaxBytes);
    this.task = undefined;
    this.batch = undefined;
  }

  /** A durable job this process cancelled in Redis (removed): nothing else will say so. */
  cancelledInRedis(now: number): void {
    this.state = 'cancelled';
    this.endedAt = now;
  }

  status(): TaskStatus {
    const task = this.task;
    const live = task !== undefined;
    const state = live ? (task.attempt === 0 ? 'pending' : task.retrying ? 'retrying' : 'running') : (this.state as TaskOutcome);
    const startedAt = live ? epochOf(task.startedAt) : this.startedAt;
    const request = live ? this.batch?.requestInfo() : this.method === undefined ? undefined : { method: this.method, route: this.route as string };
    return {
      id: this.id,
      name: this.name,
      state,
      attempts: live ? task.attempt : this.attempts,
      maxAttempts: this.maxAttempts,
      addedAt: this.addedAt,
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(this.endedAt === undefined ? {} : { endedAt: this.endedAt }),
      ...(this.error === undefined ? {} : { error: { ...this.error } }),
      ...(this.result === undefined ? {} : { result: JSON.parse(this.result) as unknown }),
      durable: this.durable,
      ...(request === undefined ? {} : { request: { method: request.method, route: request.route } }),
    };
  }
}

/** A `performance.now()` time as epoch ms, rounded. */
function epochOf(time: number | undefined): number | undefined {
  return time === undefined ? undefined : Math.round(performance.timeOrigin + time);
}
