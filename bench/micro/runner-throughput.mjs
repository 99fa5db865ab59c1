/**
 * Goal 6: how many no-op tasks the library's runner executes per second on one core (run it under
 * `taskset -c 0`). Prints one `MICRO {...}` JSON line. Usage: node runner-throughput.mjs [seconds] [repeats]
 * (seconds per run: a time, not a task count, because the rate spans 10k/s to millions/s).
 *
 * Tasks are added in chunks of CHUNK and each chunk is awaited, like many requests finishing at once; adding
 * a million before the first runs would measure the garbage collector, not the runner. Shapes:
 *   batch-per-task   a TaskBatch per task (carrier undefined: it runs at once), the per-request shape
 *   one-batch        one TaskBatch that keeps pumping, tasks queued behind each other
 *   public-addTask   BackgroundTasks.addTask on an instance from app.resolve() outside a request
 *   setImmediate     no library: setImmediate(task), for scale
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BackgroundTasks, BackgroundTasksModule } from 'nestjs-background-tasks';
// Internals, as test/unit/task-runner.spec.ts uses them; scheduleTask is what every addTask goes through.
import { scheduleTask } from '../../dist/runner/schedule-task.js';
import { TaskBatch } from '../../dist/runner/task-batch.js';
import { TaskRunner } from '../../dist/runner/task-runner.js';
import { median } from '../harness/stats.mjs';

const SECONDS = Number(process.argv[2] ?? 1);
const REPEATS = Number(process.argv[3] ?? 5);
const CHUNK = 1_000;

let ran = 0;
let target = 0;
let onTarget = () => {};
function noopTask() {
  if (++ran === target) onTarget();
}

/** Runs `addOne` in chunks for about `seconds`, waiting for each chunk's tasks to finish; returns tasks/s. */
async function measure(seconds, addOne) {
  ran = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  let count = 0;
  while (process.hrtime.bigint() < end) {
    const finished = new Promise((resolve) => {
      target = count + CHUNK;
      onTarget = resolve;
    });
    for (let i = 0; i < CHUNK; i++) addOne();
    await finished;
    count += CHUNK;
  }
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

class MicroModule {}
Module({ imports: [BackgroundTasksModule.forRoot()] })(MicroModule); // plain ESM: decorators applied by hand

const app = await NestFactory.createApplicationContext(MicroModule, { logger: ['error'] });
const tasks = await app.resolve(BackgroundTasks);
const runner = new TaskRunner({});
const defaults = runner.options.defaults;
const oneBatch = new TaskBatch(runner, undefined);
const schedule = (batch) => scheduleTask(batch, 'bench', noopTask, [], defaults, undefined, false);

const shapes = {
  'batch-per-task': () => schedule(new TaskBatch(runner, undefined)),
  'one-batch': () => schedule(oneBatch),
  'public-addTask': () => tasks.addTask(noopTask),
  setImmediate: () => setImmediate(noopTask),
};

const results = {};
for (const [shape, addOne] of Object.entries(shapes)) {
  await measure(SECONDS / 3, addOne); // warm-up: let the JIT settle
  const runs = [];
  for (let r = 0; r < REPEATS; r++) runs.push(await measure(SECONDS, addOne));
  results[shape] = { median: median(runs), runs };
}
await app.close();
console.log(`MICRO ${JSON.stringify({ secondsPerRun: SECONDS, repeats: REPEATS, chunk: CHUNK, shapes: results })}`);
