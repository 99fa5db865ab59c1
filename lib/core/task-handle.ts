import type { TaskOutcome } from '../interfaces/task-info.interface.js';
import type { TaskHandle } from '../interfaces/task-handle.interface.js';

/**
 * The handle `addTask` returns. Its only own properties are `id` and `name` (what JSON and the caller
 * see); the rest is private: the app that admitted it, and its outcome once known, which is what a
 * dependent (`with({ after })`) waits for. It keeps nothing of the task itself after the end, so a
 * handle kept for a long time holds no arguments.
 */
export class ScheduledTaskHandle implements TaskHandle {
  #app: object | undefined = undefined;
  #outcome: TaskOutcome | undefined = undefined;
  #durable = false;
  /** Dependents waiting for the end: one function, or a list from the second. */
  #waiters: (() => void) | (() => void)[] | undefined = undefined;
  /** The durable dependent whose BullMQ flow this task is a child of (a job has one parent). */
  #parent: ScheduledTaskHandle | undefined = undefined;

  constructor(
    readonly id: string,
    readonly name: string,
  ) {}

  /** The task has its outcome. */
  get ended(): boolean {
    return this.#outcome !== undefined;
  }

  get outcome(): TaskOutcome | undefined {
    return this.#outcome;
  }

  get durable(): boolean {
    return this.#durable;
  }

  get parent(): ScheduledTaskHandle | undefined {
    return this.#parent;
  }

  /** Whether `value` is a handle `addTask` returned (not a look-alike object). */
  static is(value: unknown): value is ScheduledTaskHandle {
    return typeof value === 'object' && value !== null && #outcome in value;
  }

  /** Set by `addTask`: the runner of the app the task belongs to, and whether it leaves for BullMQ. */
  bind(app: object, durable: boolean): void {
    this.#app = app;
    this.#durable = durable;
  }

  belongsTo(app: object): boolean {
    return this.#app === app;
  }

  adoptedBy(parent: ScheduledTaskHandle): void {
    this.#parent = parent;
  }

  /** Calls `listener` once the task has its outcome (at once if it has). */
  whenEnded(listener: () => void): void {
    if (this.#outcome !== undefined) return listener();
    const waiters = this.#waiters;
    if (waiters === undefined) this.#waiters = listener;
    else if (typeof waiters === 'function') this.#waiters = [waiters, listener];
    else waiters.push(listener);
  }

  /** The runner recorded the task's one outcome. */
  settle(outcome: TaskOutcome): void {
    this.#outcome = outcome;
    const waiters = this.#waiters;
    if (waiters === undefined) return;
    this.#waiters = undefined;
    if (typeof waiters === 'function') waiters();
    else for (const waiter of waiters) waiter();
  }
}
