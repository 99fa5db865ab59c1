import type { TaskOutcome, TaskRequestInfo } from '../interfaces/task-info.interface.js';
import type { ClientAbortPolicy, DependencyFailurePolicy, RunOn } from '../interfaces/task-options.interface.js';

/**
 * Where a recorded task stands: `pending` (its response has not been sent yet), `held` (it would have
 * run: it waits for `runRecorded()`), `running`, or its outcome. A task the request's own rules removed
 * shows `cancelled` (cancel, a newer task of the same name) or `dropped` (runOn, onClientAbort).
 *
 * @publicApi
 */
export type RecordedTaskStatus = 'pending' | 'held' | 'running' | TaskOutcome;

/**
 * A task added while the testing kit was in record mode, as the test sees it. Arguments are visible here,
 * to the test, and nowhere else (logs and hooks never get them).
 *
 * @publicApi
 */
export interface RecordedTask {
  /** The id of the task's handle. */
  readonly id: string;
  readonly name: string;
  /** The function given to `addTask`. */
  readonly fn: (...args: never[]) => unknown;
  /** The arguments given to `addTask` (without the AbortSignal of `addAbortableTask`). */
  readonly args: readonly unknown[];
  /** Added with `addAbortableTask`. */
  readonly abortable: boolean;
  readonly options: {
    readonly runOn: RunOn;
    readonly onClientAbort: ClientAbortPolicy;
    readonly timeout: number;
    readonly retries: number;
  };
  /** Method and route of the request that added it; undefined outside a request. */
  readonly request?: TaskRequestInfo;
  readonly status: RecordedTaskStatus;
  /** Ids of the tasks it runs after (`with({ after })`); absent when it has none. */
  readonly after?: readonly string[];
  /** Its policy when a dependency did not succeed; only with `after`. */
  readonly ifDependencyFails?: DependencyFailurePolicy;
}
