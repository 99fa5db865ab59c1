/** Longest error message a status keeps, in characters. */
const MAX_MESSAGE_LENGTH = 1000;

/** A message cut to `MAX_MESSAGE_LENGTH` characters (with `...` when cut), as statuses show it. */
export function clipMessage(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}...` : message;
}

/** The JSON text of `value` when it is JSON and within `maxBytes`; else undefined (a task's kept result). */
export function jsonWithin(value: unknown, maxBytes: number): string | undefined {
  if (value === undefined || maxBytes === 0) return undefined;
  try {
    const text = JSON.stringify(value);
    return typeof text === 'string' && Buffer.byteLength(text) <= maxBytes ? text : undefined;
  } catch {
    return undefined; // a cycle, a bigint, a throwing toJSON: not kept
  }
}
