/** An error thrown in the thread, as it crosses back: what cloning an Error would drop (its name, code) kept. */
export interface ThreadTaskError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string | number;
}

/** How one attempt ended in the thread: the task's failure is a value, so piscina's rejections mean the thread. */
export type ThreadTaskOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: ThreadTaskError }
  | { readonly ok: false; readonly thrown: unknown };

/** The task's value, or what it threw rebuilt as an Error with the thread's name, message, stack and code. */
export function settleOutcome(outcome: ThreadTaskOutcome): unknown {
  if (outcome.ok) return outcome.value;
  if ('thrown' in outcome) throw outcome.thrown;
  const { name, message, stack, code } = outcome.error;
  const error = new Error(message);
  error.name = name;
  if (stack !== undefined) error.stack = stack;
  if (code !== undefined) (error as Error & { code?: string | number }).code = code;
  throw error;
}
