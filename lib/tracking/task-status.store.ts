import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import type { EndDetails } from '../core/task-batch-host.interface.js';
import type { TaskOutcome } from '../interfaces/task-info.interface.js';
import type { TaskTracking } from '../runner/task-tracking.interface.js';
import type { ResolvedTrackingOptions } from '../runner/tracking-options.resolver.js';
import { TaskStatusEntry } from './task-status.entry.js';

/** Additions between two sweeps of expired entries: the sweep's cost spread thin. */
const SWEEP_EVERY = 1024;

/**
 * The statuses of this app's tasks, by id: one `Map` entry per task, in the order added. Bounded: past
 * `maxEntries` the oldest ended entries leave, a sixteenth of the bound at a time (an entry still live
 * moves to the back: it is never evicted); an ended entry expires `ttl` ms after its end (checked on read, and swept every 1024
 * additions). The clock is `Date.now()`, read at each addition and end.
 */
export class TaskStatusStore implements TaskTracking {
  readonly keepsResults: boolean;
  private readonly entries = new Map<string, TaskStatusEntry>();
  private additions = 0;

  constructor(private readonly options: ResolvedTrackingOptions) {
    this.keepsResults = options.resultMaxBytes > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  added(task: ScheduledTask, batch: TaskBatch): void {
    this.entries.set(task.id, new TaskStatusEntry(task, batch, Date.now()));
    if (this.entries.size > this.options.maxEntries) this.evict();
    else if (++this.additions >= SWEEP_EVERY) this.sweep();
  }

  ended(task: ScheduledTask, outcome: TaskOutcome, details: EndDetails): void {
    this.entries.get(task.id)?.end(task, outcome, details, this.options.resultMaxBytes, Date.now());
  }

  /** The entry of `id`, unless it expired (then it leaves now). */
  get(id: string): TaskStatusEntry | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined || !this.expired(entry, Date.now())) return entry;
    this.entries.delete(id);
    return undefined;
  }

  private expired(entry: TaskStatusEntry, now: number): boolean {
    return entry.endedAt !== undefined && now - entry.endedAt >= this.options.ttl;
  }

  /**
   * Below the bound by a sixteenth of it (rounded down): the oldest ended entries leave; live ones met on the way move to
   * the back. In chunks because V8 iterates a Map over the holes its deletions leave at the front: evicting
   * one entry per addition cost ~8 us per task at 10000 entries (bench/micro/tracking-cost.mjs).
   */
  private evict(): void {
    const target = this.options.maxEntries - Math.floor(this.options.maxEntries / 16);
    let steps = this.entries.size;
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= target || steps-- === 0) return;
      this.entries.delete(id);
      if (!entry.ended) this.entries.set(id, entry);
    }
  }

  /** Expired entries from the oldest on, up to the first ended one still fresh. */
  private sweep(): void {
    this.additions = 0;
    const now = Date.now();
    for (const [id, entry] of this.entries) {
      if (!entry.ended) continue;
      if (!this.expired(entry, now)) return;
      this.entries.delete(id);
    }
  }
}
