import type { INestMicroservice, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import type { Server } from 'node:net';
import { CaptureLogger } from './capture-logger.js';

export interface RunningMicroservice {
  app: INestMicroservice;
  client: ClientProxy;
  logger: CaptureLogger;
  close(): Promise<void>;
}

/** A real TCP microservice on 127.0.0.1 (free port) and a real `ClientProxy` connected to it. */
export async function startMicroservice(module: Type | object): Promise<RunningMicroservice> {
  const logger = new CaptureLogger();
  const app = await NestFactory.createMicroservice(module as Type, {
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: 0 },
    logger,
    abortOnError: false,
  });
  await app.listen();
  const { port } = (app.unwrap() as Server).address() as { port: number };
  const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
  await client.connect();
  return {
    app,
    client,
    logger,
    close: async () => {
      await client.close();
      await app.close();
    },
  };
}
