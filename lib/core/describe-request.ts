import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';
import { escapeText } from './quote-name.js';

/** A message pattern for log lines: a string as it is, anything else as JSON. */
export function describePattern(pattern: unknown): string {
  if (typeof pattern === 'string') return pattern;
  try {
    return JSON.stringify(pattern) ?? String(pattern);
  } catch {
    return String(pattern);
  }
}

/** `METHOD /route` for log lines, escaped: a hostile route or job payload cannot forge a line. */
export function describeRequest(info: TaskRequestInfo | undefined): string {
  if (info === undefined) return 'no request';
  const method = typeof info.method === 'string' ? escapeText(info.method) : '';
  const route = typeof info.route === 'string' ? escapeText(info.route) : '';
  return `${method} ${route}`.trim() || 'a request';
}
