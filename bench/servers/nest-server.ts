/**
 * `node nest-server.js <app>`: one app of apps.ts on Fastify, on 127.0.0.1. Talks to the runner over stdio
 * so that no extra route sits in the measured router: prints `READY {"port"}`; SIGTERM closes the app
 * (which drains the library's tasks) and prints `STATS {"added","ran"}`.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { APPS, counter } from './apps.js';

const build = APPS[process.argv[2] ?? ''];
if (!build) throw new Error(`usage: node nest-server.js <${Object.keys(APPS).join('|')}>`);
// Errors only: per-request logging would be measured too.
const app = await NestFactory.create(build(), new FastifyAdapter(), { logger: ['error', 'warn'] });
await app.listen(0, '127.0.0.1');
console.log(`READY ${JSON.stringify({ port: (app.getHttpServer().address() as { port: number }).port })}`);

// SIGUSR2 (under node --expose-gc): the heap after a few forced GCs a turn apart, since weak references and
// finalizers let go only on a later cycle.
const gc = (globalThis as { gc?: () => void }).gc;
process.on('SIGUSR2', async () => {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  console.log(`HEAP ${JSON.stringify(process.memoryUsage())}`);
});

process.once('SIGTERM', () => {
  void app.close().finally(() => {
    console.log(`STATS ${JSON.stringify(counter)}`);
    process.exit(0);
  });
});
