import type { TaskEndInfo } from '../interfaces/task-info.interface.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskOwner } from '../core/task-owner.interface.js';

/**
 * What tracing plugs into the runner: a wrapper around each attempt (called inside the task's async
 * context, so it sees the request's span) and the task's end. Absent unless tracing is on.
 */
export interface TaskInstrumentation {
  around<R>(task: ScheduledTask, owner: TaskOwner, run: () => R): R;
  ended(task: ScheduledTask, info: TaskEndInfo): void;
}
