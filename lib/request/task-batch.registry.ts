import type { TaskBatch } from '../core/task-batch.js';

/**
 * Where a request carrier keeps its batch: a symbol-keyed property, invisible to `Object.keys`, `for...in`
 * and JSON (a spread copy of the carrier shares the batch, which is the same request anyway).
 * Module-level so that the singleton interceptor and `@Tasks()` find a request-scoped provider's
 * batch without depending on it (Nest 12 refuses request-scoped dependencies in global enhancers). A
 * property rather than a WeakMap: profiled, two WeakMap insertions per request cost about 2 us, and their
 * ephemerons slow every garbage collection down.
 */
const BATCH = Symbol('nestjs-background-tasks.batch');

/** Carriers that refuse new properties (frozen objects) keep their batch here instead. */
const sealedCarriers = new WeakMap<object, TaskBatch>();
/** Whether any carrier ever went to `sealedCarriers`: until one does, a miss needs no second look. */
let anySealed = false;

type Carrier = { [BATCH]?: TaskBatch };

export function registerBatch(carrier: object, batch: TaskBatch): void {
  if (Object.isExtensible(carrier)) {
    (carrier as Carrier)[BATCH] = batch;
  } else {
    anySealed = true;
    sealedCarriers.set(carrier, batch);
  }
}

export function findBatch(carrier: object | undefined): TaskBatch | undefined {
  if (carrier === undefined) return undefined;
  const batch = (carrier as Carrier)[BATCH];
  // Every request misses once (its first touch): an extensible carrier is not in the WeakMap.
  if (batch !== undefined || !anySealed || Object.isExtensible(carrier)) return batch;
  return sealedCarriers.get(carrier);
}
