// A consumer that configures durable mode without installing bullmq (an optional peer dependency):
// the package imports fine, and the app fails at startup with a message that names what to install.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BackgroundTasksModule } from 'nestjs-background-tasks';

class AppModule {}
Module({ imports: [BackgroundTasksModule.forRoot({ durable: { connection: { host: '127.0.0.1', port: 1 } } })] })(AppModule);

try {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  await app.close();
  console.log(JSON.stringify({ started: true }));
} catch (error) {
  console.log(JSON.stringify({ started: false, message: error.message }));
}
