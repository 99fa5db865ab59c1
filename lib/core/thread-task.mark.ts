/**
 * The mark `defineThreadTask` puts on a function: where a worker thread finds it again. A registered
 * symbol (`Symbol.for`), so that every copy of this package, in every thread, reads the same mark.
 */
export const THREAD_TASK = Symbol.for('nestjs-background-tasks.threadTask');

/** The module (a `file:` URL) and the export name of a thread task. */
export interface ThreadTaskMark {
  readonly module: string;
  readonly exportName: string;
}

/** The mark of `fn`, when `defineThreadTask` made it a thread task. */
export function threadTaskMarkOf(fn: unknown): ThreadTaskMark | undefined {
  return typeof fn === 'function' ? (fn as { [THREAD_TASK]?: ThreadTaskMark })[THREAD_TASK] : undefined;
}
