import { isObservable } from 'rxjs';
import { hasThenMethod } from '../core/is-thenable.js';
import type { TaskBatch } from '../core/task-batch.js';
import { TaskRunner } from '../runner/task-runner.js';
import { BackgroundTasks } from './background-tasks.service.js';
import { trackOutcome } from './handler-outcome.js';
import { HttpTaskBatch } from './http-task-batch.js';
import { batchForCarrier } from './request-batches.js';
import { carrierOfRequest } from './request-carrier.js';
import { currentRequest } from './request-scope.js';

/** Marks a route method this file has wrapped, so that no app wraps it twice. */
const TRACKED = Symbol('nestjs-background-tasks.tracked-route');
/** How deep, and through how many objects, the first call of a class looks for its `BackgroundTasks`. */
const MAX_DEPTH = 3;
const MAX_VISITED = 64;

/** Class -> property path from an instance to its `BackgroundTasks` (null: none found). */
const pathsByClass = new WeakMap<object, readonly string[] | null>();

/** A `BackgroundTasks` reachable from `root` through own enumerable properties, as a path of names. */
function findPath(root: object): string[] | null {
  const queue: { value: object; path: string[] }[] = [{ value: root, path: [] }];
  const seen = new Set<object>([root]);
  for (let i = 0; i < queue.length && seen.size <= MAX_VISITED; i++) {
    const { value, path } = queue[i];
    for (const key of Object.keys(value)) {
      const child: unknown = (value as Record<string, unknown>)[key];
      if (child instanceof BackgroundTasks) return [...path, key];
      if (typeof child === 'object' && child !== null && path.length + 1 < MAX_DEPTH && !seen.has(child)) {
        seen.add(child);
        queue.push({ value: child, path: [...path, key] });
      }
    }
  }
  return null;
}

/** The `BackgroundTasks` an instance reaches, found once per class, then read along that path. */
function tasksOf(instance: unknown): BackgroundTasks | undefined {
  if (typeof instance !== 'object' || instance === null) return undefined;
  const type = instance.constructor;
  let path = pathsByClass.get(type);
  if (path === undefined) pathsByClass.set(type, (path = findPath(instance)));
  if (path === null) return undefined;
  let value: unknown = instance;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  return value instanceof BackgroundTasks ? value : undefined;
}

/**
 * The batch of the request a route's handler is about to handle: under `requestScoped: false`, from the
 * request scope (opened here: the handler can add tasks); else the batch of the `BackgroundTasks` the
 * handler receives (`@Tasks()`) or its instance reaches (the request-scoped controller's own, or its
 * services').
 */
function batchOfCall(instance: unknown, args: readonly unknown[]): TaskBatch | undefined {
  const slot = currentRequest();
  if (slot !== undefined) {
    if (slot instanceof HttpTaskBatch) return slot;
    if (!('request' in slot)) return undefined;
    if (slot.batch === undefined) {
      const runner = TaskRunner.ofRequest(slot.request);
      if (runner === undefined) return undefined;
      slot.batch = batchForCarrier(runner, carrierOfRequest(slot.request), slot.request);
      slot.request = undefined;
    }
    return slot.batch;
  }
  for (const arg of args) if (arg instanceof BackgroundTasks) return arg.batchNow();
  return tasksOf(instance)?.batchNow();
}

/**
 * Tells the request's batch when an HTTP route's handler runs and how it ends (returned, threw, rejected,
 * or its Observable completed or errored), as the interceptor does, without its cost: any Nest
 * interceptor puts an RxJS pipeline and an execution context on every request, about a quarter of a
 * trivial route's throughput. The method on the prototype is replaced by a wrapper; Nest reads the
 * route's metadata from the prototype's function (the wrapper carries a copy) and calls the instance's
 * method for each request. The wrapper holds no per-app state: every app of the process may share the class.
 */
export function trackRouteHandler(prototype: object, name: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
  const original: unknown = descriptor?.value;
  if (typeof original !== 'function' || (original as { [TRACKED]?: true })[TRACKED]) return;
  const handler = original as (...args: unknown[]) => unknown;
  function tracked(this: unknown, ...args: unknown[]): unknown {
    const batch = batchOfCall(this, args);
    if (!(batch instanceof HttpTaskBatch)) return handler.apply(this, args);
    batch.watchOwnResponse();
    batch.enter();
    let result: unknown;
    try {
      result = handler.apply(this, args);
      if (isObservable(result)) return result.pipe(trackOutcome(batch));
      if (!hasThenMethod(result)) {
        batch.exit('success');
        return result;
      }
    } catch (error) {
      batch.exit('error');
      throw error;
    }
    return Promise.resolve(result).then(
      (value) => (batch.exit('success'), value),
      (error: unknown) => {
        batch.exit('error');
        throw error;
      },
    );
  }
  for (const key of Reflect.getMetadataKeys(handler)) Reflect.defineMetadata(key, Reflect.getMetadata(key, handler), tracked);
  Object.defineProperty(tracked, 'name', { value: handler.name });
  Object.defineProperty(tracked, 'length', { value: handler.length });
  Object.defineProperty(tracked, TRACKED, { value: true });
  Object.defineProperty(prototype, name, { ...descriptor, value: tracked });
}
