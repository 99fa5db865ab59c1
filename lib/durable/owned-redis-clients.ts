import { settlesWithin } from '../core/settles-within.js';
import type { RedisClient, RedisConstructor } from './bullmq.types.js';

/**
 * How long a goodbye to Redis (QUIT, BullMQ's own close) may take once the drain is over, in ms: a
 * healthy Redis answers in a few; a hung one (SIGSTOP, a stalled network) never does.
 */
export const REDIS_CLOSE_TIMEOUT = 1_000;

/** Connection options of an ioredis client (it keeps them), or the options given. */
function optionsOf(connection: unknown): { url?: string } & Record<string, unknown> {
  const client = connection as { options?: Record<string, unknown>; duplicate?: unknown };
  if (typeof client?.duplicate === 'function' && typeof client.options === 'object') return { ...client.options };
  return { ...(connection as Record<string, unknown>) };
}

/**
 * The Redis clients this package creates for its Queue and Worker. BullMQ's own `close()` waits for
 * Redis to say goodbye and, while Redis is down, leaves its clients reconnecting forever (an app that
 * never exits); clients created here can always be cut.
 */
export class OwnedRedisClients {
  private readonly clients: RedisClient[] = [];

  constructor(private readonly Redis: RedisConstructor) {}

  /** A connected client built from `connection` (options, or an ioredis client to copy options from). */
  create(connection: unknown, overrides: Record<string, unknown>): RedisClient {
    const { url, ...rest } = optionsOf(connection);
    const options = { ...rest, ...overrides };
    let client: RedisClient;
    try {
      client = url === undefined ? new this.Redis(options) : new this.Redis(url, options);
    } catch (error) {
      // ioredis' own error may quote the URL (`new URL()` keeps it in `input`), password and all.
      const kind = error instanceof Error ? error.name : typeof error;
      throw new TypeError(`ioredis rejected durable.connection (${kind}); check its url, host and port (not shown: they may hold a password).`);
    }
    // BullMQ forwards the errors it cares about while it uses the client; before and after that, an
    // error without a listener would only be printed by ioredis as "Unhandled error event".
    client.on('error', () => undefined);
    this.clients.push(client);
    return client;
  }

  /**
   * For a BullMQ Worker, which never uses the client it is given but duplicates it (a main and a
   * blocking connection): a client that never connects, whose duplicates are kept track of.
   */
  template(connection: unknown): RedisClient {
    const template = this.create(connection, { lazyConnect: true, maxRetriesPerRequest: null }) as RedisClient & {
      duplicate: (...args: unknown[]) => RedisClient;
    };
    const duplicate = template.duplicate.bind(template);
    template.duplicate = (...args: unknown[]) => {
      const copy = duplicate(...args);
      copy.on('error', () => undefined);
      this.clients.push(copy);
      return copy;
    };
    return template;
  }

  /** QUIT where connected, elsewhere stop the reconnecting at once; clients still waiting after `within` ms are cut. */
  async close(within = REDIS_CLOSE_TIMEOUT): Promise<void> {
    const clients = this.clients.splice(0);
    const goodbyes = Promise.all(
      clients.map((client) => (client.status === 'ready' ? client.quit().then(undefined, () => client.disconnect()) : client.disconnect())),
    );
    if (!(await settlesWithin(goodbyes, within))) for (const client of clients) client.disconnect();
  }

  /** Cuts every client now, whatever state Redis is in. */
  disconnect(): void {
    for (const client of this.clients.splice(0)) client.disconnect();
  }
}
