/**
 * How many no-op tasks per second the library runs on one core (run it pinned: taskset -c 0), through the
 * public API only. An instance from `app.resolve(BackgroundTasks)` outside any request has no response to
 * wait for: its tasks start at once. Tasks go in chunks of CHUNK, each chunk awaited, like many requests
 * finishing together (adding a million before the first runs would measure the garbage collector).
 *   one-instance        one resolved instance takes every task (one batch that keeps pumping)
 *   instance-per-chunk  a newly resolved instance (a new batch) per chunk
 *   set-immediate       no library: setImmediate(task), for scale
 * Usage: node bench/micro/runner-throughput.mjs [--dist <dir>] [--runs n] [--seconds s]
 */
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { alternate, library } from './common.mjs';

const { BackgroundTasks, BackgroundTasksModule } = library;
const CHUNK = 1_000;

let ran = 0;
let target = 0;
let onTarget = () => {};
function noopTask() {
  if (++ran === target) onTarget();
}

class MicroModule {}
Module({ imports: [BackgroundTasksModule.forRoot()] })(MicroModule); // plain ESM: decorators by hand
const app = await NestFactory.createApplicationContext(MicroModule, { logger: ['error'] });
const instance = await app.resolve(BackgroundTasks);

const shapes = {
  'one-instance': async () => {
    for (let i = 0; i < CHUNK; i++) instance.addTask(noopTask);
  },
  'instance-per-chunk': async () => {
    const tasks = await app.resolve(BackgroundTasks);
    for (let i = 0; i < CHUNK; i++) tasks.addTask(noopTask);
  },
  'set-immediate': async () => {
    for (let i = 0; i < CHUNK; i++) setImmediate(noopTask);
  },
};

/** Tasks per second over about `seconds` of chunks. */
async function measure(addChunk, seconds) {
  ran = 0;
  let count = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < end) {
    const finished = new Promise((resolve) => {
      target = count + CHUNK;
      onTarget = resolve;
    });
    await addChunk();
    await finished;
    count += CHUNK;
  }
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

await alternate(shapes, measure, (result) => ({
  ...result,
  slowest: Math.min(...Object.entries(result.shapes).filter(([name]) => name !== 'set-immediate').map(([, s]) => s.median)),
}));
await app.close();
