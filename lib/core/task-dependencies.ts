import { ABANDONED_PENDING, type EndDetails } from './task-batch-host.interface.js';
import { quoteName } from './quote-name.js';
import type { ScheduledTask } from './scheduled-task.js';
import type { TaskOutcome } from '../interfaces/task-info.interface.js';

/** What a dependent needs of the runner: run it now, or give it an outcome. */
export interface DependentRun {
  run(): Promise<void> | undefined;
  end(outcome: TaskOutcome, details: EndDetails): void;
}

/** Why a dependent does not run: its first dependency that did not succeed, under `'skip'`. */
function whySkipped(task: ScheduledTask): string | undefined {
  if (task.options.ifDependencyFails !== 'skip') return undefined;
  const failed = task.options.after?.find((handle) => handle.outcome !== 'succeeded');
  return failed && `dependency ${quoteName(failed.name)} ended ${failed.outcome}`;
}

/**
 * A task added with `with({ after })`, at its turn in its batch: it waits there (holding its place, and
 * counted by the drain as not started) until every dependency has ended, then runs, or ends `dropped`
 * when one did not succeed under `'skip'`. Dependencies are always added before their dependents, so
 * the waits never form a cycle. An interruption (drain deadline, cancel by id) stops the wait.
 */
export function runAfterDependencies(task: ScheduledTask, runner: DependentRun): Promise<void> | undefined {
  const decide = (): Promise<void> | undefined => {
    if (task.ended) return undefined;
    const reason = whySkipped(task);
    if (reason === undefined) return runner.run();
    runner.end('dropped', { reason });
    return undefined;
  };
  const waiting = (task.options.after ?? []).filter((handle) => !handle.ended);
  if (waiting.length === 0) return decide();
  return new Promise<void>((resolve) => {
    let left = waiting.length;
    let done = false;
    task.interrupt = () => {
      done = true;
      task.interrupt = undefined;
      // Not started: at the drain deadline it is abandoned as pending (a cancel has ended it already).
      runner.end('abandoned', ABANDONED_PENDING);
      resolve();
    };
    const dependencyEnded = () => {
      if (done || --left > 0) return;
      done = true;
      task.interrupt = undefined;
      // On a later microtask: a chain never starts its next task inside the end of the one before.
      resolve(Promise.resolve().then(decide));
    };
    for (const handle of waiting) handle.whenEnded(dependencyEnded);
  });
}

/**
 * Checked at `addTask`, naming the option: a durable task's dependencies must be durable tasks still
 * waiting in the same request's batch (`queued`), each the child of one dependent only (a BullMQ job has
 * one parent); an in-process task may not depend on a durable one. `where` names the call.
 */
export function checkDependencyEdges(task: ScheduledTask, queued: () => readonly ScheduledTask[], where: string): void {
  const after = task.options.after;
  if (after === undefined) return;
  const durable = task.durable !== undefined;
  let waiting: readonly ScheduledTask[] | undefined;
  after.forEach((handle, index) => {
    const path = after.length === 1 ? 'after' : `after[${index}]`;
    const fail = (why: string) => new TypeError(`${where}: option "${path}" ${why}.`);
    if (!durable) {
      if (handle.durable) throw fail('is a durable task: an in-process task cannot run after one (make both durable, in one request)');
      return;
    }
    if (!handle.durable) throw fail('is an in-process task: a durable task can only run after durable tasks');
    waiting ??= queued();
    if (!waiting.some((queuedTask) => queuedTask.handle === handle)) {
      throw fail('is not a durable task waiting in this request: a durable task can only run after durable tasks of its own request, not yet sent');
    }
    if (handle.parent !== undefined) throw fail('already has a durable dependent: a BullMQ job has one parent');
  });
  for (const handle of after) handle.adoptedBy(task.handle);
}
