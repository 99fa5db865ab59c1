// A thread task of an ESM app, as the tarball's users write one: a module of its own.
import { threadId } from 'node:worker_threads';
import { defineThreadTask } from 'nestjs-background-tasks/threads';

export const double = defineThreadTask(import.meta.url, 'double', (n) => ({ value: n * 2, threadId }));
