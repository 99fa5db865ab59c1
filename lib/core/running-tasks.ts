import type { ScheduledTask } from './scheduled-task.js';

/**
 * The tasks of one batch whose function has returned a promise not settled yet. A batch runs one task at
 * a time unless `concurrency` says otherwise, so the one running task sits in a field and a `Set` is made
 * only for a second one: a `Set` per batch with a slow task cost ~230 bytes allocated and ~110 kept for
 * as long as the task ran.
 */
export class RunningTasks {
  private one: ScheduledTask | undefined = undefined;
  private more: Set<ScheduledTask> | undefined = undefined;

  get size(): number {
    return (this.one === undefined ? 0 : 1) + (this.more?.size ?? 0);
  }

  add(task: ScheduledTask): void {
    if (this.one === undefined) this.one = task;
    else (this.more ??= new Set()).add(task);
  }

  /** False when it did not hold `task`. */
  delete(task: ScheduledTask): boolean {
    if (this.one !== task) return this.more?.delete(task) ?? false;
    this.one = undefined;
    return true;
  }

  /** Empties it, returning what it held. */
  clear(): ScheduledTask[] {
    const all = this.more === undefined ? [] : [...this.more];
    if (this.one !== undefined) all.unshift(this.one);
    this.one = undefined;
    this.more = undefined;
    return all;
  }
}
