import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CaptureLogger } from './capture-logger.js';

export type AdapterName = 'express' | 'fastify';

/** The HTTP adapters every e2e suite runs on. */
export const ADAPTERS: AdapterName[] = ['express', 'fastify'];

export interface RunningApp {
  app: INestApplication;
  url: string;
  logger: CaptureLogger;
}

/** A real Nest app listening on 127.0.0.1 on a free port. */
export async function startApp(module: Type | object, adapter: AdapterName = 'express'): Promise<RunningApp> {
  const logger = new CaptureLogger();
  const httpAdapter = adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = await NestFactory.create(module as Type, httpAdapter, { logger, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, logger };
}
