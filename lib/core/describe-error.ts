/** A printable message and stack for anything a task may throw, `undefined` and strings included. */
export function describeError(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: error.message || error.name, stack: error.stack };
  if (typeof error === 'string') return { message: `threw a string: ${error}` };
  return { message: `threw a non-Error value (${error === null ? 'null' : typeof error})` };
}
