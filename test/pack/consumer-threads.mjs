// An ESM consumer of the packed tarball running thread tasks in the package's worker threads: one
// defined in an ES module, one in a CommonJS module; the pool ends with app.close().
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createRequire } from 'node:module';
import { BackgroundTasksModule, ThreadTaskPool } from 'nestjs-background-tasks';
import { double } from './thread-task.mjs';

const { triple } = createRequire(import.meta.url)('./thread-task.cjs');
class AppModule {}
Module({ imports: [BackgroundTasksModule.forRoot()] })(AppModule);
const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
app.enableShutdownHooks();
const pool = app.get(ThreadTaskPool);
const [esm, cjs] = await Promise.all([pool.run(double, 21), pool.run(triple, 14)]);
await app.close();
console.log(JSON.stringify({ esm: esm.value, cjs: cjs.value, inThreads: esm.threadId !== 0 && cjs.threadId !== 0, threadsLeft: pool.threads }));
