import { TaskBatch } from '../core/task-batch.js';
import type { TaskRunner } from '../runner/task-runner.js';
import { batchForCarrier } from './request-batches.js';
import { BackgroundTasks } from './background-tasks.service.js';
import { ContextTaskBatch } from './context-task-batch.js';
import { carrierOfRequest } from './request-carrier.js';
import { currentRequest } from './request-scope.js';

/**
 * `BackgroundTasks` under `forRoot({ requestScoped: false })`: one singleton, so services that inject it
 * stay singletons (their lifecycle hooks and `@Cron` methods work). Each call acts on the batch of the
 * request being handled, found through AsyncLocalStorage (`request-scope.ts`); outside any request its
 * tasks run soon, on their own, never inside the call itself.
 */
export class ScopedBackgroundTasks extends BackgroundTasks {
  /** @internal */
  constructor(private readonly runner: TaskRunner) {
    super();
  }

  /** @internal */
  override batchNow(): TaskBatch {
    const slot = currentRequest();
    if (slot === undefined) return new ContextTaskBatch(this.runner, undefined);
    if (slot instanceof TaskBatch) return slot;
    if (slot.batch === undefined) {
      slot.batch = batchForCarrier(this.runner, carrierOfRequest(slot.request), slot.request);
      slot.request = undefined;
    }
    return slot.batch;
  }
}
