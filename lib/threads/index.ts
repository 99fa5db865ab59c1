// `nestjs-background-tasks/threads`: what a thread task's own module needs, and nothing else. A worker
// thread that imports the package root loads Nest too (about half a second per thread); this entry
// loads a few small files.
export { defineThreadTask } from './define-thread-task.js';
