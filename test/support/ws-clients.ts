import type { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { io } from 'socket.io-client';
import WebSocket from 'ws';

export type WsFlavour = 'ws' | 'socket.io';

/** The WebSocket adapters the gateway suites run on. */
export const WS_FLAVOURS: WsFlavour[] = ['ws', 'socket.io'];

export function useWsAdapter(app: INestApplication, flavour: WsFlavour): void {
  app.useWebSocketAdapter(flavour === 'ws' ? new WsAdapter(app) : new IoAdapter(app));
}

/** One real client connection that sends `{ event, data }` messages and collects `{ event, data }` replies. */
export interface WsTestClient {
  send(event: string, data: unknown): void;
  /** Resolves with the data of the first reply of `event` whose `data.id` is `id`. */
  reply<T = unknown>(event: string, id: string): Promise<T>;
  /** Resolves with the next `exception` event's data. */
  nextException(): Promise<unknown>;
  close(): Promise<void>;
}

type Listener = { event: string; id?: string; resolve: (data: unknown) => void };

export async function connectClient(flavour: WsFlavour, url: string): Promise<WsTestClient> {
  const received: { event: string; data: unknown }[] = [];
  let listeners: Listener[] = [];
  const deliver = (event: string, data: unknown) => {
    received.push({ event, data });
    listeners = listeners.filter((listener) => {
      const matches = listener.event === event && (listener.id === undefined || (data as { id?: string })?.id === listener.id);
      if (matches) listener.resolve(data);
      return !matches;
    });
  };
  const waitFor = (event: string, id?: string) =>
    new Promise<unknown>((resolve) => {
      const found = received.find((r) => r.event === event && (id === undefined || (r.data as { id?: string })?.id === id));
      if (found) resolve(found.data);
      else listeners.push({ event, id, resolve });
    });

  if (flavour === 'ws') {
    const socket = new WebSocket(url.replace('http', 'ws'));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('message', (raw) => {
      const { event, data } = JSON.parse(String(raw)) as { event: string; data: unknown };
      deliver(event, data);
    });
    return {
      send: (event, data) => socket.send(JSON.stringify({ event, data })),
      reply: (event, id) => waitFor(event, id) as never,
      nextException: () => waitFor('exception'),
      close: () =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.terminate();
        }),
    };
  }

  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  socket.onAny((event: string, data: unknown) => deliver(event, data));
  return {
    send: (event, data) => socket.emit(event, data),
    reply: (event, id) => waitFor(event, id) as never,
    nextException: () => waitFor('exception'),
    close: async () => {
      socket.disconnect();
    },
  };
}
