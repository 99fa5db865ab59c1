// `task-50ms-no-library`: the goal-5 reference route (it injects BackgroundTasks, so the request-scope
// cost is the same) with the same 50 ms task started by `setImmediate` instead of the library. Between
// `paced-no-task` and `paced-task-50ms`, it says how much of a p99 gap any 50 ms task causes on this
// machine (its timer, its promise, the work landing among requests) and how much the library adds.
import { Controller, Get, Module, type BeforeApplicationShutdown } from '@nestjs/common';
import { BackgroundTasks, BackgroundTasksModule } from 'nestjs-background-tasks';
import { BODY, ROUTE, sleepTask, taskCounter } from '../task-counter.js';

@Controller()
class SlowTaskWithoutLibraryController {
  // Injected and unused, as in the reference: only the way the task starts differs.
  constructor(private readonly tasks: BackgroundTasks) {}

  @Get(ROUTE)
  get() {
    taskCounter.added++;
    setImmediate(sleepTask, 50);
    return BODY;
  }
}

@Module({ imports: [BackgroundTasksModule.forRoot()], controllers: [SlowTaskWithoutLibraryController] })
export class AppModule implements BeforeApplicationShutdown {
  /**
   * Fire-and-forget has no drain: at SIGTERM ~50 sleeps are in flight, and without this wait the
   * harness's ran/added check would count them as lost. Runs at shutdown only, after the measurement.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const deadline = Date.now() + 2_000;
    while (taskCounter.ran < taskCounter.added && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
