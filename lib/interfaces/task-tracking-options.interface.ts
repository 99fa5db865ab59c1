/**
 * How the statuses of this process's tasks are kept for `BackgroundTasksTracker.status()`. Every task
 * gets an entry when it is added; an entry leaves `ttl` ms after its task ended, or earlier when the store
 * holds more than `maxEntries` (the oldest ended entries first, a sixteenth of the bound at a time). Entries
 * of tasks not ended yet are never evicted: the
 * store may exceed `maxEntries` while more tasks than that are pending or running (`maxQueued` bounds
 * those).
 *
 * @publicApi
 */
export interface TaskTrackingOptions {
  /** Entries kept, an integer from 1 to 10,000,000. @default 10000 */
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
