import { jsonWithin } from '../core/bounded-text.js';
import { describeError } from '../core/describe-error.js';

/** What a job gives BullMQ back: the value it stores as `returnvalue`, or an error it must not retry. */

/** Marks an error BullMQ must not retry (`UnrecoverableError` is matched by name). */
export function unrecoverable(error: unknown, Unrecoverable: new (message?: string) => Error): Error {
  const { message, stack } = describeError(error);
  const wrapped = new Unrecoverable(message);
  if (stack) wrapped.stack = stack;
  return wrapped;
}

/** What BullMQ stores as the job's `returnvalue`: the handler's value when results are kept and it fits. */
export function resultToKeep(value: unknown, maxBytes: number): unknown {
  return jsonWithin(value, maxBytes) === undefined ? undefined : value;
}
