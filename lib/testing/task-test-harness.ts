import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import { onResponseClose } from '../request/on-response-close.js';
import type { BackgroundTasksTestMode } from '../interfaces/background-tasks-module-options.interface.js';
import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskBatch } from '../core/task-batch.js';
import type { TaskTestSeam } from '../runner/task-test-seam.interface.js';
import type { TaskRunner } from '../runner/task-runner.js';
import { holdResponseEnd } from './hold-response-end.js';
import type { RecordedTask } from './recorded-task.interface.js';

/** A task recorded in record mode, with what the test may see of it. */
interface RecordEntry {
  readonly task: ScheduledTask;
  readonly batch: TaskBatch;
  readonly request?: TaskRequestInfo;
  held: boolean;
  running: boolean;
}

/**
 * The testing kit's state on one runner: the mode, and what record mode recorded. Installed on the runner
 * only by the `testMode` option or by `BackgroundTasksTester.of(app)`; production runners never have one.
 */
export class TaskTestHarness implements TaskTestSeam {
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  private entries: RecordEntry[] = [];
  private readonly byTask = new WeakMap<ScheduledTask, RecordEntry>();

  constructor(
    private readonly runner: TaskRunner,
    public mode: BackgroundTasksTestMode,
  ) {}

  /** The runner's harness, installed on first use. */
  static of(runner: TaskRunner): TaskTestHarness {
    if (runner.testSeam instanceof TaskTestHarness) return runner.testSeam;
    const harness = new TaskTestHarness(runner, runner.options.testMode);
    runner.useTestSeam(harness);
    return harness;
  }

  added(task: ScheduledTask, batch: TaskBatch): void {
    if (this.mode !== 'record') return;
    const entry: RecordEntry = { task, batch, request: batch.requestInfo(), held: false, running: false };
    this.entries.push(entry);
    this.byTask.set(task, entry);
  }

  holds(task: ScheduledTask): boolean {
    const entry = this.byTask.get(task);
    // A recorded task is held even if the mode changed since: the test decides when it runs.
    if (entry === undefined || entry.running) return false;
    entry.held = true;
    return true;
  }

  watchResponse(response: ServerResponse, batch: TaskBatch, listener: (aborted: boolean) => void): void {
    if (this.mode !== 'inline') {
      onResponseClose(response, { responseClosed: (aborted) => listener(aborted) });
      return;
    }
    holdResponseEnd(response, listener, async () => {
      const timeout = this.runner.options.drainTimeout;
      const settled = await this.runner.whenIdle(batch, Date.now() + timeout);
      if (!settled) {
        this.logger.warn(
          `Inline mode: tasks of ${batch.describe()} still running after ${timeout} ms (drainTimeout); sending the response anyway`,
        );
      }
    });
  }

  recorded(): readonly RecordedTask[] {
    return Object.freeze(this.entries.map((entry) => snapshot(entry)));
  }

  /** Runs the held tasks that match, one after another in the order they were added. */
  async run(filter: (task: RecordedTask) => boolean): Promise<readonly RecordedTask[]> {
    // A held task cancelled by id meanwhile has its outcome: it is not run.
    const chosen = this.entries.filter((entry) => entry.held && !entry.running && !entry.task.ended && filter(snapshot(entry)));
    for (const entry of chosen) {
      entry.running = true;
      await this.runner.runHeld(entry.task, entry.batch);
    }
    return Object.freeze(chosen.map((entry) => snapshot(entry)));
  }

  clear(): void {
    this.entries = [];
  }
}

function snapshot(entry: RecordEntry): RecordedTask {
  const { task } = entry;
  const status = task.outcome ?? (entry.running ? 'running' : entry.held ? 'held' : 'pending');
  const after = task.options.after;
  return Object.freeze({
    id: task.id,
    name: task.name,
    fn: task.fn,
    args: task.args,
    abortable: task.passSignal,
    options: Object.freeze({
      runOn: task.options.runOn,
      onClientAbort: task.options.onClientAbort,
      timeout: task.options.timeout,
      retries: task.options.retries,
    }),
    request: entry.request,
    status,
    ...(after === undefined ? {} : { after: Object.freeze(after.map((handle) => handle.id)), ifDependencyFails: task.options.ifDependencyFails }),
  });
}
