import type { MessagePort } from 'node:worker_threads';

/** What the pool sends a worker thread for one attempt of a thread task (structured-cloned). */
export interface ThreadTaskRequest {
  /** `file:` URL of the module that exports the task. */
  readonly module: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
  /** The task takes an `AbortSignal` first (`addAbortableTask`, `runAbortable`). */
  readonly passSignal: boolean;
  /** The task's return value is wanted (`run`); `addTask` ignores it, so nothing has to clone it back. */
  readonly wantsResult: boolean;
  /** Carries the abort of the attempt into the thread (`{ name, message }` of the reason). */
  readonly port: MessagePort;
}

/** The abort reason as it crosses to the thread. */
export interface ThreadAbortMessage {
  readonly name: string;
  readonly message: string;
}

/**
 * A request that does nothing: sent to make piscina start a thread in place of one it terminated while
 * tasks wait (it replaces threads only up to `minThreads`, 0 here, or when a task is added).
 */
export interface ThreadRespawnRequest {
  readonly respawn: true;
}
