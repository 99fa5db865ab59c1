import { quoteName } from '../core/quote-name.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { ScheduledTaskHandle } from '../core/task-handle.js';
import type { BullFlowJob, BullJobsOptions } from './bullmq.types.js';
import type { DurableJob } from './durable-job.payload.js';

/** The durable tasks of one release, sorted: plain jobs, flows (a dependent and its dependencies), and tasks not sent. */
export interface EnqueuePlan {
  readonly jobs: readonly ScheduledTask[];
  /** Roots of flows: dependents that are no one's dependency in this release. */
  readonly flows: readonly ScheduledTask[];
  /** Dependents whose dependency did not come along (cancelled, dropped) under `'skip'`, with why. */
  readonly dropped: readonly (readonly [ScheduledTask, string])[];
}

/**
 * Sorts a release's durable tasks (in the order added: dependencies come before their dependents). A
 * dependency missing from the release (it ended before: cancelled, dropped) drops its dependent under
 * `'skip'`, and that dependent's own dependent in turn; under `'run'` the flow goes without it.
 */
export function planEnqueue(tasks: readonly ScheduledTask[]): EnqueuePlan {
  const leaving = new Set<ScheduledTaskHandle>(tasks.map((task) => task.handle));
  const droppedHandles = new Set<ScheduledTaskHandle>();
  const dropped: [ScheduledTask, string][] = [];
  for (const task of tasks) {
    if (task.options.after === undefined || task.options.ifDependencyFails !== 'skip') continue;
    const missing = task.options.after.find((handle) => !leaving.has(handle) || droppedHandles.has(handle));
    if (missing === undefined) continue;
    droppedHandles.add(task.handle);
    const outcome = droppedHandles.has(missing) ? 'dropped' : (missing.outcome ?? 'unsent');
    dropped.push([task, `dependency ${quoteName(missing.name)} ended ${outcome}`]);
  }
  const sent = tasks.filter((task) => !droppedHandles.has(task.handle));
  const inFlow = (task: ScheduledTask) => task.options.after !== undefined || task.handle.parent !== undefined;
  return {
    jobs: sent.filter((task) => !inFlow(task)),
    // A dependency whose dependent was dropped is the root of what is left of its flow.
    flows: sent.filter((task) => inFlow(task) && (task.handle.parent === undefined || !leaving.has(task.handle.parent) || droppedHandles.has(task.handle.parent))),
    dropped,
  };
}

/** The flow of each root: the dependent as the parent job, its dependencies (and theirs) as children. */
export function flowsOf(
  roots: readonly ScheduledTask[],
  tasks: readonly ScheduledTask[],
  jobOf: (task: ScheduledTask) => DurableJob,
  target: { name: string; prefix?: string },
): BullFlowJob[] {
  const byHandle = new Map(tasks.map((task) => [task.handle, task] as const));
  const build = (task: ScheduledTask, asChild?: BullJobsOptions): BullFlowJob => {
    const job = jobOf(task);
    const policy: BullJobsOptions = task.options.ifDependencyFails === 'skip' ? { failParentOnFailure: true } : { ignoreDependencyOnFailure: true };
    const children = (task.options.after ?? [])
      .map((handle) => byHandle.get(handle))
      .filter((child): child is ScheduledTask => child !== undefined)
      .map((child) => build(child, policy));
    return {
      name: job.name,
      queueName: target.name,
      ...(target.prefix ? { prefix: target.prefix } : {}),
      data: job.data,
      opts: { ...job.opts, ...asChild },
      ...(children.length > 0 ? { children } : {}),
    };
  };
  return roots.map((root) => build(root));
}
