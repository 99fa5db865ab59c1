/**
 * The entry point piscina loads in each worker thread: it imports a thread task's module, checks that the
 * export is the task `defineThreadTask` marked, relays the attempt's abort into an `AbortSignal`, and
 * calls it. Loaded from the CommonJS build (`dist/cjs/threads`), never from TypeScript sources.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { threadTaskMarkOf } from '../core/thread-task.mark.js';
import type { ThreadAbortMessage, ThreadRespawnRequest, ThreadTaskRequest } from './thread-task-request.interface.js';
import { MODULE_NOT_LOADED, NOT_A_THREAD_TASK } from './thread-task.messages.js';
import type { ThreadTaskOutcome } from './thread-task.outcome.js';

type ThreadTaskFunction = (...args: unknown[]) => unknown;

// A real `import()`, which TypeScript's CommonJS output would turn into `require()` (piscina does the
// same): it loads ES modules, CommonJS modules and `file:` URLs alike, through the loaders Node runs with.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;

/**
 * Loads a module as Node runs with. `import()` knows no `.ts` unless a loader hook does (`--import tsx`);
 * a require hook (`--require ts-node/register`, `@swc-node/register`, inherited by threads) serves
 * `require()` only, so a `.ts`/`.cts` file with such a hook for its extension is required instead.
 */
async function loadModule(module: string): Promise<Record<string, unknown>> {
  const path = module.startsWith('file:') ? fileURLToPath(module) : module;
  const extension = extname(path);
  const hooks = typeof require === 'function' ? (require.extensions as Record<string, unknown> | undefined) : undefined;
  if ((extension === '.ts' || extension === '.cts' || extension === '.tsx') && hooks?.[extension] !== undefined) {
    return require(path) as Record<string, unknown>;
  }
  return importModule(module);
}

/** Loaded tasks of this thread, by module and export: a module is imported once per thread. */
const loaded = new Map<string, ThreadTaskFunction>();

async function load(module: string, exportName: string): Promise<ThreadTaskFunction> {
  const key = `${exportName}@${module}`;
  const known = loaded.get(key);
  if (known) return known;
  let namespace: Record<string, unknown>;
  try {
    namespace = await loadModule(module);
  } catch (error) {
    throw new Error(MODULE_NOT_LOADED(module, exportName, error));
  }
  // A CommonJS module's exports are named exports when Node can tell them, else only `default`.
  const fn = namespace[exportName] ?? (namespace.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof fn !== 'function' || threadTaskMarkOf(fn)?.exportName !== exportName) {
    throw new Error(NOT_A_THREAD_TASK(module, exportName, fn === undefined ? 'missing' : 'unmarked'));
  }
  loaded.set(key, fn as ThreadTaskFunction);
  return fn as ThreadTaskFunction;
}

function abortReason(message: ThreadAbortMessage): DOMException {
  return new DOMException(message.message, message.name);
}

/** The abort that reached the port already: the attempt was over before the thread took it up. */
function abortedAlready(port: MessagePort): DOMException | undefined {
  const received = receiveMessageOnPort(port);
  return received === undefined ? undefined : abortReason(received.message as ThreadAbortMessage);
}

/** A thrown value as it can cross back whole: an Error's name and code survive, which cloning would drop. */
function failure(error: unknown): ThreadTaskOutcome {
  if (error !== null && typeof error === 'object' && typeof (error as Error).message === 'string') {
    const { name, message, stack, code } = error as Error & { code?: unknown };
    return { ok: false, error: { name: String(name), message, stack, code: typeof code === 'string' || typeof code === 'number' ? code : undefined } };
  }
  return { ok: false, thrown: typeof error === 'object' && error !== null ? String(error) : error };
}

/** piscina's handler: one attempt of one thread task. Never rejects for the task's own failure. */
export default async function runThreadTask(request: ThreadTaskRequest | ThreadRespawnRequest): Promise<ThreadTaskOutcome> {
  if ('respawn' in request) return { ok: true, value: undefined };
  const { port } = request;
  try {
    const fn = await load(request.module, request.exportName);
    const early = abortedAlready(port);
    if (early !== undefined) return failure(early);
    let value: unknown;
    if (request.passSignal) {
      const controller = new AbortController();
      port.on('message', (message: ThreadAbortMessage) => controller.abort(abortReason(message)));
      value = await fn(controller.signal, ...request.args);
    } else {
      value = await fn(...request.args);
    }
    return { ok: true, value: request.wantsResult ? value : undefined };
  } catch (error) {
    return failure(error);
  } finally {
    port.close();
  }
}
