// The CommonJS twin of consumer-durable-missing.mjs: without bullmq installed, require() of the package
// works, and durable mode fails at startup naming the package to install.
require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { BackgroundTasksModule } = require('nestjs-background-tasks');

class AppModule {}
Module({ imports: [BackgroundTasksModule.forRoot({ durable: { connection: { host: '127.0.0.1', port: 1 } } })] })(AppModule);

NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false }).then(
  async (app) => {
    await app.close();
    console.log(JSON.stringify({ started: true }));
  },
  (error) => console.log(JSON.stringify({ started: false, message: error.message })),
);
