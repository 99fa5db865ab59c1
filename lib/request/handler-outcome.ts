import { tap } from 'rxjs';
import type { TaskBatch } from '../core/task-batch.js';

/** Tells `batch` once how the handler's observable ended: completed or errored. */
export function trackOutcome<T>(batch: TaskBatch) {
  let settled = false;
  const settle = (failed: boolean) => {
    if (settled) return;
    settled = true;
    batch.exit(failed ? 'error' : 'success');
  };
  return tap<T>({
    complete: () => settle(false),
    error: () => settle(true),
    // The client went away and Nest unsubscribed an Observable handler: it did not fail.
    unsubscribe: () => settle(false),
  });
}
