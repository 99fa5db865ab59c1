import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { isObservable } from 'rxjs';
import { hasThenMethod } from '../core/is-thenable.js';
import { TaskRunner } from '../runner/task-runner.js';
import { trackOutcome } from './handler-outcome.js';
import { HttpTaskBatch } from './http-task-batch.js';
import { batchForCarrier } from './request-batches.js';
import { carrierOfRequest } from './request-carrier.js';
import { responseOfContext } from './response-of-context.js';
import { findBatch } from './task-batch.registry.js';

/** Marks a route method this file has wrapped, so that no app wraps it twice. */
const TRACKED = Symbol('nestjs-background-tasks.tracked-route');

/**
 * The hidden last argument of a tracked route: the request's batch, with its response watched. Opened
 * here under `requestScoped: false` (the handler will add tasks); under the request scope, Nest has
 * opened it while it built the controller. Nest resolves it after guards, like an interceptor's turn.
 */
const routeBatch = createParamDecorator((_data: unknown, context: ExecutionContext): HttpTaskBatch | undefined => {
  const request: unknown = context.getArgByIndex(0);
  const carrier = carrierOfRequest(request);
  let batch = findBatch(carrier);
  if (batch === undefined) {
    const runner = TaskRunner.ofRequest(request);
    if (runner === undefined || runner.requestScoped) return undefined;
    batch = batchForCarrier(runner, carrier, request);
  }
  if (!(batch instanceof HttpTaskBatch)) return undefined;
  batch.watchResponse(responseOfContext(context));
  return batch;
});

/**
 * Tells the request's batch when an HTTP route's handler runs and how it ends (returned, threw,
 * rejected, or its Observable completed or errored), as the interceptor does, at a fraction of its cost:
 * any Nest interceptor puts an RxJS pipeline and an execution context on every request, about a quarter
 * of a trivial route's throughput. The method on the prototype is replaced by a wrapper that takes one
 * hidden argument more (`routeBatch`); Nest reads the route's metadata from the prototype's function and
 * its parameters by class and name, so the wrapper carries a copy of the first and the second gains one.
 * The wrapper holds no per-app state: every app of the process may share the class.
 */
export function trackRouteHandler(prototype: object, name: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
  const original: unknown = descriptor?.value;
  if (typeof original !== 'function' || (original as { [TRACKED]?: true })[TRACKED]) return;
  const declared = Object.values((Reflect.getMetadata(ROUTE_ARGS_METADATA, prototype.constructor, name) ?? {}) as { index: number }[]);
  const index = Math.max(original.length, ...declared.map((arg) => arg.index + 1));
  routeBatch()(prototype, name, index);
  const handler = original as (...args: unknown[]) => unknown;
  function tracked(this: unknown, ...args: unknown[]): unknown {
    const batch = args[index];
    if (!(batch instanceof HttpTaskBatch)) return handler.apply(this, args);
    args.length = index;
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
  Object.defineProperty(tracked, TRACKED, { value: true });
  Object.defineProperty(prototype, name, { ...descriptor, value: tracked });
}
