import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import type { EndDetails } from '../core/task-batch-host.interface.js';
import { taskIdOf, taskSeqOf } from '../core/task-id.js';
import type { TaskOutcome } from '../interfaces/task-info.interface.js';
import type { TaskTracking } from '../runner/task-tracking.interface.js';
import type { ResolvedTrackingOptions } from '../runner/tracking-options.resolver.js';
import { epochOf, extrasOf, TaskStatusEntry } from './task-status.entry.js';
import { LIVE, OUTCOMES, PAGE_SIZE, TaskStatusPage } from './task-status.page.js';

const PAGE_BITS = Math.log2(PAGE_SIZE);

/** `seq`'s row in its page. */
function rowOf(seq: number, capacity: number): number {
  return (seq % capacity) & (PAGE_SIZE - 1);
}

/**
 * The statuses of this app's tasks: a ring of `maxEntries` rows, a task's row chosen by its sequence
 * number (the number in its id), so finding it costs no hashing and adding one allocates nothing. A
 * task's row is taken over by the task added `maxEntries` after it in the process; an ended status
 * also expires `ttl` ms after its end (checked on read; the clock is `Date.now()`, read at each
 * addition and end). A task still live when its row is taken over moves to a `Map` (a live status is
 * never evicted) and stays there until `maxEntries` more tasks have been added after its end.
 *
 * Why rows and not an object per status in a `Map`: at the default 10000 entries, a status object per
 * task lived long enough to be copied by the scavenger and promoted, and the `Map` hashed an id string
 * per task: a main part of a one-task request's cost (`bench/micro/tracking-cost.mjs`).
 */
export class TaskStatusStore implements TaskTracking {
  readonly keepsResults: boolean;
  private readonly pages: (TaskStatusPage | undefined)[];
  private readonly capacity: number;
  /** Live tasks whose row was taken over, by sequence number; then their statuses until evicted. */
  private readonly displaced = new Map<number, TaskStatusEntry>();
  /** Sequence numbers of displaced tasks in the order they ended: the order they leave in. */
  private endedDisplaced: number[] = [];
  /** The highest sequence number added. */
  private newest = 0;

  constructor(private readonly options: ResolvedTrackingOptions) {
    this.keepsResults = options.resultMaxBytes > 0;
    this.capacity = options.maxEntries;
    this.pages = new Array<TaskStatusPage | undefined>(Math.ceil(this.capacity / PAGE_SIZE)).fill(undefined);
  }

  added(task: ScheduledTask, batch: TaskBatch): void {
    // Tasks are added in the order of their sequence numbers (`scheduleTask` admits each as it makes it),
    // so the row's occupant, if any, is an older task.
    const seq = task.seq;
    const page = this.pageOf(seq) ?? this.newPage(seq);
    const row = rowOf(seq, this.capacity);
    this.newest = seq;
    if (page.state[row] === LIVE && page.seq[row] !== 0) this.displace(page, row);
    page.seq[row] = seq;
    page.state[row] = LIVE;
    page.addedAt[row] = Date.now();
    page.task[row] = task;
    page.batch[row] = batch;
  }

  ended(task: ScheduledTask, outcome: TaskOutcome, details: EndDetails): void {
    const seq = task.seq;
    const page = this.pageOf(seq);
    const row = rowOf(seq, this.capacity);
    const now = Date.now();
    if (page === undefined || page.seq[row] !== seq) {
      const entry = this.displaced.get(seq);
      if (entry === undefined) return;
      entry.end(task, outcome, details, this.options.resultMaxBytes, now);
      entry.evictAfter = this.newest + this.capacity;
      this.endedDisplaced.push(seq);
      this.evictDisplaced();
      return;
    }
    const request = page.batch[row]?.requestInfo();
    page.state[row] = OUTCOMES.indexOf(outcome) + 1;
    page.endedAt[row] = now;
    page.startedAt[row] = task.startedAt === undefined ? Number.NaN : (epochOf(task.startedAt) as number);
    page.attempts[row] = task.attempt;
    page.maxAttempts[row] = task.options.retries + 1;
    page.durable[row] = task.durable === undefined ? 0 : 1;
    page.name[row] = task.name;
    page.method[row] = request?.method;
    page.route[row] = request?.route;
    page.extras[row] = extrasOf(outcome, details, this.options.resultMaxBytes);
    page.task[row] = undefined;
    page.batch[row] = undefined;
  }

  /** The status of `id` as an entry, unless unknown, evicted or expired. */
  get(id: string): TaskStatusEntry | undefined {
    const seq = taskSeqOf(id);
    if (seq === undefined) return undefined;
    const page = this.pageOf(seq);
    const row = rowOf(seq, this.capacity);
    const now = Date.now();
    if (page !== undefined && page.seq[row] === seq) {
      if (page.state[row] === LIVE) return new TaskStatusEntry(id, page.addedAt[row], page.task[row], page.batch[row]);
      return now - page.endedAt[row] >= this.options.ttl ? undefined : this.entryOf(id, page, row);
    }
    const entry = this.displaced.get(seq);
    if (entry === undefined || !entry.ended) return entry;
    return now - (entry.endedAt as number) < this.options.ttl && entry.evictAfter >= this.newest ? entry : undefined;
  }

  /** A durable job this process cancelled in Redis (removed): nothing else will say so. */
  cancelledInRedis(id: string): void {
    const seq = taskSeqOf(id);
    if (seq === undefined) return;
    const page = this.pageOf(seq);
    const row = rowOf(seq, this.capacity);
    const now = Date.now();
    if (page !== undefined && page.seq[row] === seq && page.state[row] !== LIVE) {
      page.state[row] = OUTCOMES.indexOf('cancelled') + 1;
      page.endedAt[row] = now;
      return;
    }
    const entry = this.displaced.get(seq);
    if (entry?.ended) {
      entry.state = 'cancelled';
      entry.endedAt = now;
    }
  }

  /** The page that holds `seq`'s row, once made. */
  private pageOf(seq: number): TaskStatusPage | undefined {
    return this.pages[(seq % this.capacity) >>> PAGE_BITS];
  }

  private newPage(seq: number): TaskStatusPage {
    const page = new TaskStatusPage();
    this.pages[(seq % this.capacity) >>> PAGE_BITS] = page;
    return page;
  }

  /** Moves a live task out of the row a new task takes. */
  private displace(page: TaskStatusPage, row: number): void {
    const seq = page.seq[row];
    this.displaced.set(seq, new TaskStatusEntry(taskIdOf(seq), page.addedAt[row], page.task[row], page.batch[row]));
    this.evictDisplaced();
  }

  /** Ended displaced statuses leave in the order they ended, once `maxEntries` tasks were added since. */
  private evictDisplaced(): void {
    const order = this.endedDisplaced;
    let first = 0;
    while (first < order.length && (this.displaced.get(order[first])?.evictAfter ?? 0) < this.newest) this.displaced.delete(order[first++]);
    if (first > 0) this.endedDisplaced = order.slice(first);
  }

  private entryOf(id: string, page: TaskStatusPage, row: number): TaskStatusEntry {
    const entry = new TaskStatusEntry(id, page.addedAt[row], undefined, undefined);
    const startedAt = page.startedAt[row];
    entry.name = page.name[row] as string;
    entry.durable = page.durable[row] === 1;
    entry.maxAttempts = page.maxAttempts[row];
    entry.state = OUTCOMES[page.state[row] - 1];
    entry.attempts = page.attempts[row];
    entry.startedAt = Number.isNaN(startedAt) ? undefined : startedAt;
    entry.endedAt = page.endedAt[row];
    entry.method = page.method[row];
    entry.route = page.route[row];
    entry.extras = page.extras[row];
    return entry;
  }
}
