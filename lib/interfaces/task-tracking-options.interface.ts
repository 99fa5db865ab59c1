/**
 * How the statuses of this process's tasks are kept for `BackgroundTasksTracker.status()`. Every task
 * gets a status when it is added; an ended task's status leaves `ttl` ms after its end, or once
 * `maxEntries` more tasks have been added in the process, whichever comes first. The status of a task
 * not ended yet is never evicted: one still pending or running when `maxEntries` later tasks have been
 * added stays until it ends, then for `maxEntries` more additions (`maxQueued` bounds how many wait).
 *
 * @publicApi
 */
export interface TaskTrackingOptions {
  /** Statuses kept, an integer from 1 to 10,000,000: those of the latest `maxEntries` tasks added. @default 10000 */
  maxEntries?: number;
  /** How long an ended task's status stays, in ms: a number > 0 (`Infinity`: until evicted by the bound). @default 3600000 (1 hour) */
  ttl?: number;
  /**
   * Keep what each task returned, as a JSON copy (`TaskStatus.result`): `true`, or the largest JSON text
   * kept, in bytes (an integer from 1 to 16,777,216). Values that are not JSON or larger are not kept.
   * Durable tasks return it to BullMQ (the job's `returnvalue`). @default false (`maxBytes` 16384 when on)
   */
  results?: boolean | { maxBytes?: number };
}
