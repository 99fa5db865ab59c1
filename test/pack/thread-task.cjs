// A thread task of a CommonJS app, as the tarball's users write one: a module of its own.
const { threadId } = require('node:worker_threads');
const { defineThreadTask } = require('nestjs-background-tasks/threads');

exports.triple = defineThreadTask(__filename, 'triple', (n) => ({ value: n * 3, threadId }));
