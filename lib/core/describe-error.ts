/**
 * A printable message and stack for anything a task or hook may throw, `undefined`, strings and hostile
 * values included: an `Error` whose `message` getter throws or is a Symbol, a Proxy whose prototype cannot
 * be read. It never throws, since it runs on the paths that give a task its outcome.
 */
export function describeError(error: unknown): { message: string; stack?: string } {
  try {
    if (error instanceof Error) {
      const message = printable(() => error.message) || printable(() => error.name) || 'an Error';
      const stack = printable(() => error.stack);
      return stack === undefined ? { message } : { message, stack };
    }
  } catch {
    return { message: 'threw a value that cannot be described' };
  }
  if (typeof error === 'string') return { message: `threw a string: ${error}` };
  return { message: `threw a non-Error value (${error === null ? 'null' : typeof error})` };
}

/** A property's value when it is a string; undefined when it is anything else or reading it throws. */
function printable(read: () => unknown): string | undefined {
  try {
    const value = read();
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
