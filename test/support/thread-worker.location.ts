import { join } from 'node:path';

/**
 * Stands in for lib/threads/thread-worker.location.ts under Jest, which runs lib/ as TypeScript ES
 * modules (no `__dirname`, and a worker thread cannot load TypeScript): the threads run the worker entry
 * of the build (`npm run build`, done by `pretest`).
 */
export function threadWorkerEntry(): string {
  return join(process.cwd(), 'dist', 'cjs', 'threads', 'thread-task.worker.js');
}
