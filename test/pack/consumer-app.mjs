// A consumer of the packed tarball, written as plain ESM JavaScript (decorators applied by hand); require()
// of the package from it gets the CommonJS build that the ESM entry re-exports: the same class.
import 'reflect-metadata';
import { Controller, Inject, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BackgroundTasks, BackgroundTasksModule } from 'nestjs-background-tasks';
import { BackgroundTasksTester } from 'nestjs-background-tasks/testing';

const ran = [];

class SignupController {
  constructor(tasks) {
    this.tasks = tasks;
  }
  signup() {
    this.tasks.addTask((who) => ran.push(who), 'ada');
    return { ok: true };
  }
}
Inject(BackgroundTasks)(SignupController, undefined, 0);
Controller('signup')(SignupController);
const descriptor = Object.getOwnPropertyDescriptor(SignupController.prototype, 'signup');
Post()(SignupController.prototype, 'signup', descriptor);

class AppModule {}
Module({ imports: [BackgroundTasksModule.forRoot()], controllers: [SignupController] })(AppModule);

const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address();
const res = await fetch(`http://127.0.0.1:${port}/signup`, { method: 'POST' });
// The testing entry point resolves, and its idle() sees the task (no @opentelemetry/api installed here:
// tracing must stay off without a word).
await BackgroundTasksTester.of(app).idle();
const ranBeforeClose = [...ran];
await app.close();
const { createRequire } = await import('node:module');
const required = createRequire(import.meta.url)('nestjs-background-tasks');
console.log(JSON.stringify({ status: res.status, ran: ranBeforeClose, sameClassFromRequire: required.BackgroundTasks === BackgroundTasks }));
