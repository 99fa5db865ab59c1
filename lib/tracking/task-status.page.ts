import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import type { TaskOutcome } from '../interfaces/task-info.interface.js';

/** Slots per page, a power of two. */
export const PAGE_SIZE = 1024;

/** `state` codes: 0 while the task lives, then its outcome's index + 1. */
export const OUTCOMES: readonly TaskOutcome[] = ['succeeded', 'failed', 'timed-out', 'cancelled', 'dropped', 'abandoned', 'enqueued'];
export const LIVE = 0;

/** What an ended status keeps beyond its numbers, for the few tasks that have it. */
export interface StatusExtras {
  readonly error?: { readonly name: string; readonly message: string };
  /** The result's JSON text (`tracking.results`). */
  readonly result?: string;
}

/**
 * 1024 consecutive slots of the status store, one column per field. A status is a row, not an object:
 * adding a task stores five values and allocates nothing, and an ended row points only at strings that
 * outlive it anyway (its name, its request's method and route pattern), so the scavenger never copies
 * or promotes a status. Pages are made as the ring first reaches them: a large `maxEntries` costs memory
 * only once that many tasks have been added.
 */
export class TaskStatusPage {
  /** The task's sequence number (its id); 0: an empty slot. */
  readonly seq = new Float64Array(PAGE_SIZE);
  /** `LIVE` or an outcome's code. */
  readonly state = new Uint8Array(PAGE_SIZE);
  readonly addedAt = new Float64Array(PAGE_SIZE);
  /** Once ended; NaN when it never started. */
  readonly startedAt = new Float64Array(PAGE_SIZE);
  readonly endedAt = new Float64Array(PAGE_SIZE);
  readonly attempts = new Uint32Array(PAGE_SIZE);
  readonly maxAttempts = new Uint32Array(PAGE_SIZE);
  readonly durable = new Uint8Array(PAGE_SIZE);
  /** While it lives: the task and its batch (the status reads them); let go of at the end. */
  readonly task = new Array<ScheduledTask | undefined>(PAGE_SIZE).fill(undefined);
  readonly batch = new Array<TaskBatch | undefined>(PAGE_SIZE).fill(undefined);
  /** Once ended. */
  readonly name = new Array<string | undefined>(PAGE_SIZE).fill(undefined);
  /** The request's method and route pattern: strings the router shares, not an object per row. */
  readonly method = new Array<string | undefined>(PAGE_SIZE).fill(undefined);
  readonly route = new Array<string | undefined>(PAGE_SIZE).fill(undefined);
  readonly extras = new Array<StatusExtras | undefined>(PAGE_SIZE).fill(undefined);
}
