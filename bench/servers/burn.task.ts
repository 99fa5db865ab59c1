/** Thread tasks of bench/threads.mjs: a module of their own, as defineThreadTask wants. */
import { defineThreadTask } from 'nestjs-background-tasks/threads';

/** Burns `ms` of CPU: the synchronous work a report or a thumbnail is. */
export function burn(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

// A function of its own: defineThreadTask marks the very function it gets, and `burn` stays a loop task.
export const burnInThread = defineThreadTask(import.meta.url, 'burnInThread', (ms: number) => burn(ms));

/** Does nothing: what is left is the pool's own cost per task. */
export const noop = defineThreadTask(import.meta.url, 'noop', () => undefined);
