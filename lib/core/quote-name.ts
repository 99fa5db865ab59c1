/** Longest name a log line shows; longer ones are cut, with the number of characters left out. */
const MAX_SHOWN = 200;

/** Characters that end, rewrite or colour a log line: C0 controls (newline, ESC...), DEL, U+2028/9. */
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/g;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeControl(char: string): string {
  return SHORT[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Text from a request (method, route pattern) for a log line: control characters escaped, nothing else. */
export function escapeText(text: string): string {
  return text.replace(CONTROL, escapeControl);
}

/**
 * A task, handler or job name as log lines quote it: in double quotes, with quotes, backslashes and
 * control characters (newlines, ANSI escapes) escaped, so a name can never forge a log line or colour a
 * terminal, and cut at 200 characters.
 */
export function quoteName(name: string): string {
  const shown = name.length > MAX_SHOWN ? `${name.slice(0, MAX_SHOWN)}... (${name.length - MAX_SHOWN} more)` : name;
  return `"${escapeText(shown.replace(/["\\]/g, '\\$&'))}"`;
}
