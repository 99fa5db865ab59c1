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
/** Whether any carrier ever went to `sealedCarriers`: until one does, a miss (every request's first touch) needs no second look. */
let anySealed = false;

type Carrier = { [BATCH]?: TaskBatch };

export function registerBatch(carrier: object, batch: TaskBatch): void {
  // Asking `Object.isExtensible` first costs a call into the runtime on every request; a module's code is
  // strict, so adding a property to a carrier that refuses it throws instead.
  try {
    (carrier as Carrier)[BATCH] = batch;
    if ((carrier as Carrier)[BATCH] === batch) return;
  } catch {
    // not extensible (frozen, sealed), or a Proxy that refuses the property
  }
  anySealed = true;
  sealedCarriers.set(carrier, batch);
}

export function findBatch(carrier: object | undefined): TaskBatch | undefined {
  if (carrier === undefined) return undefined;
  const batch = (carrier as Carrier)[BATCH];
  if (batch !== undefined || !anySealed) return batch;
  return sealedCarriers.get(carrier);
}
