import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskHandlerLookup } from '../core/task-handler-lookup.interface.js';
import type { ThreadTaskDispatcher } from '../core/thread-task-route.interface.js';
import type { DurableJobs } from './durable-jobs.interface.js';
import { TaskExecutor } from './task-executor.js';
import type { TaskInstrumentation } from './task-instrumentation.interface.js';
import type { TaskTestSeam } from './task-test-seam.interface.js';
import type { TaskTracking } from './task-tracking.interface.js';

/**
 * Where the plug-ins attach to the runner (`TaskRunner` extends it): each `use*` method is called by a
 * provider the module lists, and the runner reads what is attached with one property read per use.
 */
export abstract class TaskPlugInPoints extends TaskExecutor {
  protected seam?: TaskTestSeam = undefined;
  protected lookup?: TaskHandlerLookup = undefined;
  protected tracking?: TaskTracking = undefined;
  private jobs?: DurableJobs = undefined;
  private pool?: ThreadTaskDispatcher<ScheduledTask> = undefined;

  /** Tracing: wraps every attempt from now on (`TaskTracing`). */
  useInstrumentation(instrumentation: TaskInstrumentation): void {
    this.instrumentation = instrumentation;
  }

  /** The testing kit's inline and record modes (`TaskTestHarness`). */
  useTestSeam(seam: TaskTestSeam): void {
    this.seam = seam;
  }

  /** The app's `@BackgroundTask` handlers (`TaskHandlerExplorer`); undefined when it has none. */
  useHandlers(lookup: TaskHandlerLookup | undefined): void {
    this.lookup = lookup;
  }

  /** Status tracking (`BackgroundTasksTracker`'s store), attached unless `tracking: false`. */
  useTracking(tracking: TaskTracking): void {
    this.tracking = tracking;
    this.keepResults = tracking.keepsResults;
  }

  /** Durable jobs' status and cancellation in Redis (`DurableProducer`), when durable mode is on. */
  useDurableJobs(jobs: DurableJobs): void {
    this.jobs = jobs;
  }

  /** The worker-thread pool for `defineThreadTask` functions (`ThreadTaskPool`). */
  useThreads(pool: ThreadTaskDispatcher<ScheduledTask>): void {
    this.pool = pool;
  }

  get threads(): ThreadTaskDispatcher<ScheduledTask> | undefined {
    return this.pool;
  }

  get instrumented(): boolean {
    return this.instrumentation !== undefined;
  }

  get testSeam(): TaskTestSeam | undefined {
    return this.seam;
  }

  get handlers(): TaskHandlerLookup | undefined {
    return this.lookup;
  }

  get durableJobs(): DurableJobs | undefined {
    return this.jobs;
  }

  get runsDurableInProcess(): boolean {
    return this.seam !== undefined;
  }
}
