// A CommonJS consumer of the packed tarball running a thread task defined in a CommonJS module.
require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { BackgroundTasksModule, ThreadTaskPool } = require('nestjs-background-tasks');
const { triple } = require('./thread-task.cjs');

class AppModule {}
Module({ imports: [BackgroundTasksModule.forRoot()] })(AppModule);
NestFactory.createApplicationContext(AppModule, { logger: false }).then(async (app) => {
  const pool = app.get(ThreadTaskPool);
  const result = await pool.run(triple, 5);
  await app.close();
  console.log(JSON.stringify({ cjs: result.value, inThread: result.threadId !== 0, threadsLeft: pool.threads }));
});
