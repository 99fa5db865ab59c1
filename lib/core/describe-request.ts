import type { TaskRequestInfo } from '../interfaces/task-info.interface.js';

/** A message pattern for log lines: a string as it is, anything else as JSON. */
export function describePattern(pattern: unknown): string {
  if (typeof pattern === 'string') return pattern;
  try {
    return JSON.stringify(pattern) ?? String(pattern);
  } catch {
    return String(pattern);
  }
}

/** `METHOD /route` for log lines. */
export function describeRequest(info: TaskRequestInfo | undefined): string {
  if (info === undefined) return 'no request';
  return `${info.method ?? ''} ${info.route ?? ''}`.trim() || 'a request';
}
