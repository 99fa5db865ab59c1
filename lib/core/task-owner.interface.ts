import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';

/** What the ledger, logs and hooks know of where a task came from: method and route, never the payload. */
export interface TaskOwner {
  /** Method and route of the request, message or connection; undefined outside any. */
  requestInfo(): TaskRequestInfo | undefined;
  /** `METHOD /route` for log lines. */
  describe(): string;
}
