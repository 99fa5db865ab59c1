import { join } from 'node:path';

/**
 * The file piscina loads in each thread: `thread-task.worker.js`, compiled next to this file. The package
 * always runs from its CommonJS build (the ESM entry re-exports it), where `__dirname` is this folder.
 * (The repository's own tests run `lib/` as ES modules and point this at the build instead.)
 */
export function threadWorkerEntry(): string {
  return join(__dirname, 'thread-task.worker.js');
}
