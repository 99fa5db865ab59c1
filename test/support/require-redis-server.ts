import { spawnSync } from 'node:child_process';

// Jest's globalSetup, run without the module mapper: this file must not import relative modules.

/** What `npm test` says when the real Redis server the durable tests need is missing. */
export const REDIS_SERVER_MISSING =
  'redis-server is not on PATH: the durable-mode tests run a real Redis server. Install the Debian package ' +
  '"redis-server" (apt-get update && apt-get install -y redis-server), or put redis-server on PATH.';

/** Throws the message above when `redis-server` cannot be run. No silent skips. */
export function requireRedisServer(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error(REDIS_SERVER_MISSING);
}

/** Jest globalSetup: fails the whole run up front, naming the package to install. */
export default function globalSetup(): void {
  requireRedisServer();
}
