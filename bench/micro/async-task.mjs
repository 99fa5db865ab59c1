/**
 * What one slow (promise-returning) task costs through the library's runner, against the same async
 * function started by `setImmediate`: bytes it keeps alive while it waits, bytes allocated from start to
 * end, and CPU to start it and to finish it. Goal 5 is about such tasks; p99 on a shared VM is too noisy
 * to see a microsecond or a kilobyte, this is not. Batches as in `runner-throughput.mjs` (no request:
 * the task starts at once), CHUNK tasks in flight at a time, all waiting on one gate the script opens.
 * Usage: taskset -c 0 node --max-semi-space-size=128 bench/micro/async-task.mjs [chunks]
 * (the large young generation keeps collections out of a chunk, so heap deltas are allocations).
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { scheduleTask } from '../../dist/runner/schedule-task.js';
import { TaskBatch } from '../../dist/runner/task-batch.js';
import { TaskRunner } from '../../dist/runner/task-runner.js';
import { median } from '../harness/stats.mjs';

const CHUNKS = Number(process.argv[2] ?? 60);
const CHUNK = 1_000;

// As the bench servers run: `NestFactory.create(..., { logger: ['error', 'warn'] })`.
Logger.overrideLogger(['error', 'warn']);
// No process-wide limit in the way: past maxConcurrent a task waits for a slot, another path.
const runner = new TaskRunner({ maxConcurrent: CHUNK * 2, maxQueued: CHUNK * 2 });
const defaults = runner.options.defaults;

let ran = 0;
let gate;
let openGate;
async function slowTask() {
  await gate;
  ran++;
}

const shapes = {
  library: () => scheduleTask(new TaskBatch(runner, undefined), 'bench', slowTask, [], defaults, undefined, false),
  setImmediate: () => setImmediate(slowTask),
};

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function chunk(addOne) {
  gate = new Promise((resolve) => (openGate = resolve));
  ran = 0;
  await turn();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CHUNK; i++) addOne();
  await turn(); // the immediates of the setImmediate shape
  const t1 = process.hrtime.bigint();
  const heapWaiting = process.memoryUsage().heapUsed;
  openGate();
  while (ran < CHUNK) await turn();
  await turn(); // the library's bookkeeping after the last task's promise
  const t2 = process.hrtime.bigint();
  const heapAfter = process.memoryUsage().heapUsed;
  return {
    liveBytes: (heapWaiting - heapBefore) / CHUNK,
    allocatedBytes: (heapAfter - heapBefore) / CHUNK,
    startNs: Number(t1 - t0) / CHUNK,
    finishNs: Number(t2 - t1) / CHUNK,
  };
}

for (let i = 0; i < 50; i++) for (const addOne of Object.values(shapes)) await chunk(addOne); // warm-up
const runs = Object.fromEntries(Object.keys(shapes).map((shape) => [shape, []]));
for (let i = 0; i < CHUNKS; i++) for (const [shape, addOne] of Object.entries(shapes)) runs[shape].push(await chunk(addOne));

const summary = {};
for (const [shape, results] of Object.entries(runs)) {
  // A chunk in which a collection ran anyway shows a heap that shrank: its bytes say nothing.
  const clean = results.filter((r) => r.allocatedBytes > 0 && r.liveBytes > 0);
  summary[shape] = {
    liveBytesPerTask: Math.round(median(clean.map((r) => r.liveBytes))),
    allocatedBytesPerTask: Math.round(median(clean.map((r) => r.allocatedBytes))),
    startNsPerTask: Math.round(median(results.map((r) => r.startNs))),
    finishNsPerTask: Math.round(median(results.map((r) => r.finishNs))),
    chunks: results.length,
    cleanChunks: clean.length,
  };
}
console.log(`ASYNC_TASK ${JSON.stringify({ tasksPerChunk: CHUNK, shapes: summary })}`);
