import type { TaskOutcome } from '../interfaces/task-info.interface.js';
import type { ScheduledTask } from './scheduled-task.js';
import type { TaskHandlerLookup } from './task-handler-lookup.interface.js';
import type { ThreadTaskDispatcher } from './thread-task-route.interface.js';
import type { ResolvedTaskOptions } from './task-options.resolver.js';
import type { TaskOwner } from './task-owner.interface.js';

/** What an outcome may carry besides itself. */
export interface EndDetails {
  readonly reason?: string;
  readonly error?: unknown;
  /** What a succeeded task returned, passed only while status tracking keeps results. */
  readonly result?: unknown;
}

/** `TaskEndInfo.reason` of a task cancelled by `BackgroundTasksTracker.cancel(id)`. */
export const CANCELLED_BY_ID: EndDetails = Object.freeze({ reason: 'cancelled by id' });

/** `TaskEndInfo.reason` of a task abandoned at the drain deadline, running or not started yet. */
export const ABANDONED_RUNNING: EndDetails = Object.freeze({ reason: 'drain deadline: running' });
export const ABANDONED_PENDING: EndDetails = Object.freeze({ reason: 'drain deadline: not started' });

/**
 * What a batch needs of the process-wide runner (`TaskRunner` implements it): admission, execution, the
 * outcome ledger and the busy set. Declared here so that batches depend on this shape, not on the runner.
 */
export interface TaskBatchHost<Batch> {
  readonly options: { readonly concurrency: number; readonly defaults: ResolvedTaskOptions };
  /** The app's `@BackgroundTask` handlers, when it has any: `addTask` recognizes them. */
  readonly handlers?: TaskHandlerLookup;
  /** The app's worker-thread pool: `addTask` routes `defineThreadTask` functions to it. */
  readonly threads?: ThreadTaskDispatcher<ScheduledTask>;
  /** False under `requestScoped: false`: one singleton `BackgroundTasks` finds each request's batch. */
  readonly requestScoped: boolean;
  /** True under the testing kit: durable tasks then run in-process, so tests need no Redis. */
  readonly runsDurableInProcess: boolean;
  /** Accepts a task into `batch` or gives it its outcome now; throws when the queue is full (`'reject'`). */
  admit(task: ScheduledTask, batch: Batch): boolean;
  /** Runs a task to its outcome: undefined when already done, else a promise that never rejects. */
  execute(task: ScheduledTask, owner: TaskOwner): Promise<void> | undefined;
  /** Records a task's one outcome; later calls for the same task are ignored. */
  end(task: ScheduledTask, owner: TaskOwner, outcome: TaskOutcome, extra?: EndDetails): void;
  reportDropped(count: number, owner: TaskOwner, reason: string): void;
  /** `owner` has started `count` tasks: a task may keep adding itself (warned once per batch). */
  reportRunaway(owner: TaskOwner, count: number): void;
  /** `batch` has work: a shutdown drain waits for it. */
  markBusy(batch: Batch): void;
  /** `batch` may have no work left. */
  markChanged(batch: Batch): void;
}
