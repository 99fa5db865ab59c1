import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import type { EndDetails } from '../core/task-batch-host.interface.js';
import type { TaskOutcome } from '../interfaces/task-info.interface.js';
import type { TaskTracking } from '../runner/task-tracking.interface.js';
import type { ResolvedTrackingOptions } from '../runner/tracking-options.resolver.js';
import { TaskStatusEntry } from './task-status.entry.js';

/** Additions between two sweeps of expired entries: the sweep's cost spread thin. */
const SWEEP_EVERY = 1024;

/** Generations the bound is split into: the bound evicts one generation, a sixteenth of it, at a time. */
const GENERATIONS = 16;

/**
 * The statuses of this app's tasks, by id, in generations: small `Map`s in the order added, the newest
 * taking additions. Past `maxEntries` the oldest generation leaves whole: its ended entries are dropped,
 * its live ones move to the newest (a live entry is never evicted). An ended entry expires `ttl` ms after
 * its end (checked on read; generations whose entries all expired are swept every 1024 additions). The
 * clock is `Date.now()`, read at each addition and end.
 *
 * Why generations and not one `Map`: at the default 10000 entries, one `Map` churned by an addition and a
 * deletion per task was rehashed and reallocated (a large object) over and over, and cost ~1.4 us per task
 * (`bench/micro/tracking-cost.mjs`); a generation is never deleted from on the hot path, stays small, and
 * is let go of in one piece.
 */
export class TaskStatusStore implements TaskTracking {
  readonly keepsResults: boolean;
  /** Oldest first; never empty. */
  private generations: Map<string, TaskStatusEntry>[] = [new Map()];
  private readonly generationSize: number;
  private count = 0;
  private additions = 0;

  constructor(private readonly options: ResolvedTrackingOptions) {
    this.keepsResults = options.resultMaxBytes > 0;
    this.generationSize = Math.max(1, Math.floor(options.maxEntries / GENERATIONS));
  }

  get size(): number {
    return this.count;
  }

  added(task: ScheduledTask, batch: TaskBatch): void {
    this.put(task.id, new TaskStatusEntry(task, batch, Date.now()));
    if (this.count > this.options.maxEntries) this.evict();
    else if (++this.additions >= SWEEP_EVERY) this.sweep();
  }

  ended(task: ScheduledTask, outcome: TaskOutcome, details: EndDetails): void {
    this.find(task.id)?.end(task, outcome, details, this.options.resultMaxBytes, Date.now());
  }

  /** The entry of `id`, unless it expired (then it leaves now). */
  get(id: string): TaskStatusEntry | undefined {
    for (let i = this.generations.length - 1; i >= 0; i--) {
      const entry = this.generations[i].get(id);
      if (entry === undefined) continue;
      if (!this.expired(entry, Date.now())) return entry;
      this.generations[i].delete(id);
      this.count--;
      return undefined;
    }
    return undefined;
  }

  /** Newest first: a task's entry is in the generation of its addition, usually a recent one. */
  private find(id: string): TaskStatusEntry | undefined {
    for (let i = this.generations.length - 1; i >= 0; i--) {
      const entry = this.generations[i].get(id);
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  private put(id: string, entry: TaskStatusEntry): void {
    let newest = this.generations[this.generations.length - 1];
    if (newest.size >= this.generationSize) {
      newest = new Map();
      this.generations.push(newest);
    }
    newest.set(id, entry);
    this.count++;
  }

  private expired(entry: TaskStatusEntry, now: number): boolean {
    return entry.endedAt !== undefined && now - entry.endedAt >= this.options.ttl;
  }

  /**
   * Drops the oldest generations until the store is within its bound again; their live entries move
   * to the newest. Stops when only live entries would be left to drop (more tasks live than the bound).
   */
  private evict(): void {
    for (let passes = this.generations.length; passes > 0 && this.count > this.options.maxEntries; passes--) {
      const oldest = this.generations.shift() as Map<string, TaskStatusEntry>;
      if (this.generations.length === 0) this.generations.push(new Map());
      this.count -= oldest.size;
      for (const [id, entry] of oldest) if (!entry.ended) this.put(id, entry);
    }
  }

  /** Oldest generations whose entries have all expired. */
  private sweep(): void {
    this.additions = 0;
    const now = Date.now();
    while (this.generations.length > 1) {
      const oldest = this.generations[0];
      for (const entry of oldest.values()) if (!this.expired(entry, now)) return;
      this.generations.shift();
      this.count -= oldest.size;
    }
  }
}
