import type { BackgroundTasksTestMode } from '../interfaces/background-tasks-module-options.interface.js';
import { TaskRunner } from '../runner/task-runner.js';
import type { RecordedTask } from './recorded-task.interface.js';
import { TaskTestHarness } from './task-test-harness.js';

/** What `BackgroundTasksTester.of()` needs: a Nest application, application context or `TestingModule`. */
export interface ApplicationLike {
  get(typeOrToken: unknown, options?: { strict?: boolean }): unknown;
}

/** Which recorded tasks `runRecorded` runs: a name, or a predicate. */
export type RecordedTaskFilter = string | ((task: RecordedTask) => boolean);

/** Default time `idle()` waits before it rejects, in ms. */
const DEFAULT_IDLE_TIMEOUT = 5_000;

/**
 * The testing kit for one application: wait for tasks, switch between background, inline and record
 * modes, inspect recorded tasks and run them on demand.
 *
 * ```ts
 * const tasks = BackgroundTasksTester.of(app);
 * await request(app.getHttpServer()).post('/signup').send({ email }).expect(201);
 * await tasks.idle();
 * ```
 *
 * @publicApi
 */
export class BackgroundTasksTester {
  private constructor(
    private readonly runner: TaskRunner,
    private readonly harness: TaskTestHarness,
  ) {}

  /** The tester of an application (or `TestingModule`) that imports `BackgroundTasksModule`. */
  static of(app: ApplicationLike): BackgroundTasksTester {
    let runner: unknown;
    try {
      runner = app.get(TaskRunner, { strict: false });
    } catch {
      // Nest throws when no module has the provider: said below in our words.
    }
    if (!(runner instanceof TaskRunner)) {
      throw new Error('BackgroundTasksTester.of(): this application does not import BackgroundTasksModule.');
    }
    return new BackgroundTasksTester(runner, TaskTestHarness.of(runner));
  }

  /** How tasks run now: `'background'`, `'inline'` or `'record'`. */
  get mode(): BackgroundTasksTestMode {
    return this.harness.mode;
  }

  /**
   * Switches how tasks run from now on (requests whose response is already being watched keep the way
   * they started with). Returns the tester, for chaining.
   */
  setMode(mode: BackgroundTasksTestMode): this {
    if (mode !== 'background' && mode !== 'inline' && mode !== 'record') {
      throw new TypeError(`BackgroundTasksTester.setMode() expects 'background' | 'inline' | 'record', but received ${String(mode)}.`);
    }
    this.harness.mode = mode;
    return this;
  }

  /**
   * Resolves once every task added so far has settled, and every task those tasks added, including
   * tasks whose request's response has not been seen as finished yet by the server (safe right after an
   * HTTP client got its response). Rejects after `timeout` ms (default 5000), saying how many are left.
   * Tasks held by record mode do not count: they wait for `runRecorded()`.
   */
  async idle(options: { timeout?: number } = {}): Promise<void> {
    const timeout = options.timeout ?? DEFAULT_IDLE_TIMEOUT;
    const idle = await this.runner.whenIdle('all', Date.now() + timeout);
    if (!idle) {
      throw new Error(`Background tasks still outstanding after ${timeout} ms: ${this.runner.outstanding} task(s).`);
    }
  }

  /** Tasks outstanding right now: running, pending, or waiting for their response. */
  get outstanding(): number {
    return this.runner.outstanding;
  }

  /** Every task recorded in record mode, in the order added, with its arguments and status. */
  get recorded(): readonly RecordedTask[] {
    return this.harness.recorded();
  }

  /**
   * Runs the recorded tasks that are `held` (their response was sent and they would have run), one after
   * another in the order added, through the real runner (timeouts, retries, logs, hooks); resolves with
   * them once they have settled. Waits for `idle()` first, so responses the server is still finishing
   * count. Tasks they add are recorded in turn: call again to run those.
   */
  async runRecorded(filter?: RecordedTaskFilter): Promise<readonly RecordedTask[]> {
    await this.idle();
    const matches =
      filter === undefined ? () => true : typeof filter === 'string' ? (task: RecordedTask) => task.name === filter : filter;
    return this.harness.run(matches);
  }

  /** Forgets every recorded task (held ones will never run). */
  clearRecorded(): void {
    this.harness.clear();
  }
}
