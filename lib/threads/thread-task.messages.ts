import { quoteName } from '../core/quote-name.js';

export const DEFINE_BAD_MODULE = (received: string) =>
  `defineThreadTask() expects as module the absolute path of the thread task's own module (__filename) or its ` +
  `file: URL (import.meta.url), but received ${received}.`;

export const DEFINE_BAD_EXPORT_NAME = (received: string) =>
  `defineThreadTask() expects as exportName the name the module exports the task under (a non-empty string of ` +
  `at most 200 characters), but received ${received}.`;

export const DEFINE_BAD_FUNCTION = (received: string) =>
  `defineThreadTask() expects as fn the task's function, but received ${received}.`;

export const DEFINE_TWICE = (exportName: string, module: string) =>
  `defineThreadTask(): this function is already the thread task ${quoteName(exportName)} of ${module}: ` +
  'define each thread task once, in its own module.';

export const NOT_CLONEABLE = (method: string, task: string, problem: string) =>
  `${method}: the arguments of thread task ${quoteName(task)} cannot be sent to a worker thread: ${problem}.`;

export const POOL_CLOSED = (task: string) =>
  `Thread task ${quoteName(task)} cannot run: the application has shut down and its worker threads are gone.`;

export const POOL_ERROR = (message: string) => `The worker-thread pool reported an error: ${message}`;

const TYPESCRIPT = /\.[cm]?tsx?$/;

export const MODULE_NOT_LOADED = (module: string, exportName: string, error: unknown) => {
  const reason = typeof (error as Error | undefined)?.message === 'string' ? (error as Error).message : String(error);
  const typescript = TYPESCRIPT.test(new URL(module).pathname)
    ? ' A worker thread runs Node without the TypeScript compilation of the main thread (ts-jest, a bundler, ' +
      'ts-node started by its own binary): run the compiled output (nest build, tsc), or start Node with a loader ' +
      'that threads inherit (node --import tsx, node --require ts-node/register, node --require @swc-node/register).'
    : '';
  return `Thread task ${quoteName(exportName)}: its module ${module} could not be loaded in a worker thread: ${reason}.${typescript}`;
};

export const NOT_A_THREAD_TASK = (module: string, exportName: string, found: 'missing' | 'unmarked') =>
  `Thread task ${quoteName(exportName)}: its module ${module} ` +
  (found === 'missing'
    ? `exports nothing under that name. The name given to defineThreadTask() must be the one the module exports it under.`
    : `exports something else under that name than the function defineThreadTask() marked with that name.`);
