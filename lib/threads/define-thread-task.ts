import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeValue } from '../core/background-tasks.messages.js';
import { MAX_TASK_NAME_LENGTH } from '../core/option-checks.js';
import { THREAD_TASK, threadTaskMarkOf, type ThreadTaskMark } from '../core/thread-task.mark.js';
import { DEFINE_BAD_EXPORT_NAME, DEFINE_BAD_FUNCTION, DEFINE_BAD_MODULE, DEFINE_TWICE } from './thread-task.messages.js';

/** The module as a `file:` URL, or why it is not one (described, never shown: paths are the user's). */
function moduleUrl(module: unknown): string {
  if (module instanceof URL) {
    if (module.protocol !== 'file:') throw new TypeError(DEFINE_BAD_MODULE(`a ${module.protocol} URL`));
    return module.href;
  }
  if (typeof module !== 'string') throw new TypeError(DEFINE_BAD_MODULE(describeValue(module)));
  if (module.startsWith('file:')) {
    if (!URL.canParse(module)) throw new TypeError(DEFINE_BAD_MODULE('a file: URL that does not parse'));
    return new URL(module).href;
  }
  if (!isAbsolute(module)) throw new TypeError(DEFINE_BAD_MODULE('a string that is neither an absolute path nor a file: URL'));
  return pathToFileURL(module).href;
}

/**
 * Marks `fn` as a thread task: `addTask(fn, ...args)` (and `addAbortableTask`, `with(...).addTask`) runs
 * it in a pool of worker threads instead of on the event loop, so that CPU-heavy work (a report, a
 * thumbnail, a hash) never stalls other requests. Returns `fn` itself, still callable in-process (in a
 * unit test, say), with its own parameter types for `addTask`.
 *
 * A thread cannot reach providers or closures: `fn` must be exported by its own module, under
 * `exportName`, and get everything through its arguments (structured-cloned, checked at `addTask`) and
 * its module's imports. The thread loads `module` with `import()`: compiled JavaScript, or TypeScript
 * when Node runs with a loader its threads inherit (`node --import tsx`).
 *
 * ```ts
 * // render-report.task.ts
 * export const renderReport = defineThreadTask(__filename, 'renderReport', (id: string, rows: number[]) => {
 *   // ...CPU-heavy work...
 * });
 * ```
 *
 * @param module the module's own absolute path (`__filename`) or `file:` URL (`import.meta.url`).
 * @param exportName the name the module exports `fn` under.
 * @throws TypeError naming the argument that is wrong.
 * @publicApi
 */
export function defineThreadTask<F extends (...args: never[]) => unknown>(module: string | URL, exportName: string, fn: F): F {
  const url = moduleUrl(module);
  if (typeof exportName !== 'string' || exportName.length === 0 || exportName.length > MAX_TASK_NAME_LENGTH) {
    throw new TypeError(DEFINE_BAD_EXPORT_NAME(describeValue(exportName)));
  }
  if (typeof fn !== 'function') throw new TypeError(DEFINE_BAD_FUNCTION(describeValue(fn)));
  const existing = threadTaskMarkOf(fn);
  if (existing !== undefined) {
    if (existing.module === url && existing.exportName === exportName) return fn;
    throw new TypeError(DEFINE_TWICE(existing.exportName, existing.module));
  }
  const mark: ThreadTaskMark = Object.freeze({ module: url, exportName });
  Object.defineProperty(fn, THREAD_TASK, { value: mark, enumerable: false, writable: false, configurable: false });
  return fn;
}
