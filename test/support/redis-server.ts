import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { REDIS_SERVER_MISSING, requireRedisServer } from './require-redis-server.js';

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** BullMQ / ioredis connection options. */
  readonly connection: { host: string; port: number };
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
  pause(): void;
  /** Lets a paused process run again (SIGCONT). */
  resume(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    child.once('error', (error) => reject(error.message.includes('ENOENT') ? new Error(REDIS_SERVER_MISSING) : error));
    child.once('exit', onExit);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
}

/**
 * A real `redis-server` as a child process on a free loopback port, without persistence, for one suite.
 * A port taken between the probe and the start is retried with another.
 */
export async function startRedisServer(): Promise<RedisServer> {
  requireRedisServer();
  let lastError: unknown;
  for (let tries = 0; tries < 5; tries++) {
    const port = await freePort();
    try {
      const child = await launch(port);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        connection: { host: '127.0.0.1', port },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            // A paused process acts on SIGTERM only once it runs again.
            child.kill('SIGCONT');
          }
          await exited;
        },
        pause: () => void child.kill('SIGSTOP'),
        resume: () => void child.kill('SIGCONT'),
      };
    } catch (error) {
      if ((error as Error).message === REDIS_SERVER_MISSING) throw error;
      lastError = error;
    }
  }
  throw lastError;
}
