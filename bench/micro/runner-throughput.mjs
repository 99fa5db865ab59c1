/**
 * Goal 6: how many no-op tasks the library's runner executes per second on one core (run it under
 * `taskset -c 0`). Prints one `MICRO {...}` JSON line. Usage: node runner-throughput.mjs [tasks] [repeats]
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

const TASKS = Number(process.argv[2] ?? 500_000);
const REPEATS = Number(process.argv[3] ?? 5);
const CHUNK = 1_000;

let ran = 0;
let target = 0;
let onTarget = () => {};
function noopTask() {
  if (++ran === target) onTarget();
}

/** Runs `addOne` `count` times in chunks, waiting for each chunk's tasks to finish; returns tasks/s. */
async function measure(count, addOne) {
  ran = 0;
  const start = process.hrtime.bigint();
  for (let done = 0; done < count; done += CHUNK) {
    const size = Math.min(CHUNK, count - done);
    const finished = new Promise((resolve) => {
      target = done + size;
      onTarget = resolve;
    });
    for (let i = 0; i < size; i++) addOne();
    await finished;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
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
  await measure(Math.max(CHUNK, TASKS / 5), addOne); // warm-up: let the JIT settle
  const runs = [];
  for (let r = 0; r < REPEATS; r++) runs.push(await measure(TASKS, addOne));
  const sorted = [...runs].sort((a, b) => a - b);
  results[shape] = { median: sorted[sorted.length >> 1], runs };
}
await app.close();
console.log(`MICRO ${JSON.stringify({ tasks: TASKS, repeats: REPEATS, chunk: CHUNK, shapes: results })}`);
