/**
 * Starts one Nest bench variant: `node nest-server.js <app> [fastify|express]`, where `<app>` is a file
 * under `apps/` exporting `AppModule`. Talks to the harness in lines on stdio, so that no extra route sits
 * in the measured app's router:
 *   stdout `READY {"port":...}`      once listening on 127.0.0.1
 *   stdin  `heap`  -> `HEAP {...}`    heap after forced GCs (needs node --expose-gc)
 *   stdin  `stats` -> `STATS {...}`   tasks added and run so far
 *   stdin  `mark`  -> `MARK {"us":...}` the monotonic clock V8's CPU profiles use, to cut a profile to the
 *                                     load window (startup and idle tails left out)
 *   SIGTERM        -> `STATS {...}`   after app.close() (which drains the library's tasks), then exit 0;
 *                                     exiting normally is also what lets --cpu-prof write its profile.
 */
import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { createInterface } from 'node:readline';
import { taskCounter } from './task-counter.js';

const [appName, adapterName = 'fastify'] = process.argv.slice(2);
if (!appName || !/^[a-z0-9-]+$/.test(appName)) {
  console.error('usage: node nest-server.js <app under apps/> [fastify|express]');
  process.exit(2);
}

const { AppModule } = (await import(`./apps/${appName}.js`)) as { AppModule: Type };
const httpAdapter = adapterName === 'express' ? new ExpressAdapter() : new FastifyAdapter();
// Errors only: a task failure must still show up, but per-request logging would be measured too.
const app: INestApplication = await NestFactory.create(AppModule, httpAdapter, { logger: ['error', 'warn'] });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as { port: number };
console.log(`READY ${JSON.stringify({ port, app: appName, adapter: adapterName, pid: process.pid })}`);

const gc = (globalThis as { gc?: () => void }).gc;

async function heapAfterGc() {
  if (!gc) return { error: 'start node with --expose-gc' };
  // Twice, a turn apart: WeakMap entries and finalizers let go of their values only on a later cycle.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { heapUsed, heapTotal, rss, external } = process.memoryUsage();
  return { heapUsed, heapTotal, rss, external };
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'stats') console.log(`STATS ${JSON.stringify(taskCounter)}`);
  if (command === 'mark') console.log(`MARK ${JSON.stringify({ us: Number(process.hrtime.bigint() / 1000n) })}`);
  if (command === 'heap') void heapAfterGc().then((heap) => console.log(`HEAP ${JSON.stringify(heap)}`));
});

let closing = false;
process.on('SIGTERM', () => {
  if (closing) return;
  closing = true;
  void app.close().finally(() => {
    console.log(`STATS ${JSON.stringify(taskCounter)}`);
    process.exit(0);
  });
});
