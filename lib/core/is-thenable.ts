/**
 * Whether `value` has a `then` method, as `await` and `Promise.resolve` take it. Throws what reading
 * `then` throws, as `await` would reject with it: the caller decides what that means.
 */
export function hasThenMethod(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** `hasThenMethod`, false when reading `then` throws: for messages and guards that must not throw. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return hasThenMethod(value);
  } catch {
    return false;
  }
}
