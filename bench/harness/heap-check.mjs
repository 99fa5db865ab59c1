/**
 * Goal 7: heap growth after many requests that add tasks. The server runs with --expose-gc; the heap is
 * read after forced GCs once warm (baseline), halfway, and at the end. A leak shows as growth that keeps
 * rising with the request count; noise stays flat.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from './server.mjs';
import { runWrk } from './wrk.mjs';

const WARMUP_REQUESTS = 20_000;
const MB = 2 ** 20;

async function settledStats(server) {
  // Tasks run after their responses; wait for the last ones before weighing the heap.
  for (let i = 0; i < 50; i++) {
    server.send('stats');
    const stats = await server.waitFor('STATS', 5_000);
    if (stats.ran >= stats.added) return stats;
    await sleep(100);
  }
  throw new Error('tasks did not finish within 5 s of the load');
}

async function heap(server) {
  server.send('heap');
  return server.waitFor('HEAP', 30_000);
}

/**
 * At least `count` requests. wrk always runs for its full -d (its Lua stop only idles the thread), so the
 * load goes in timed chunks sized from the rate seen so far, each capped by the Lua stop at what is left.
 */
async function drive(server, count, config) {
  let requests = 0;
  let rate = 0;
  while (requests < count) {
    const left = count - requests;
    const seconds = rate ? Math.min(60, Math.max(1, Math.ceil(left / rate))) : 2;
    const result = await runWrk(server.url, {
      cpu: config.loadCpu,
      connections: config.connections,
      durationSeconds: seconds,
      stopAfter: left,
    });
    if (result.non2xx || result.errors.timeout) throw new Error(`heap load saw errors: ${JSON.stringify(result.errors)}`);
    if (result.requests === 0) throw new Error('heap load: the server answered nothing');
    requests += result.requests;
    rate = result.rps;
  }
  return { requests };
}

export async function heapCheck(variant, config, log) {
  const server = await startServer(variant, { cpu: config.serverCpu, nodeFlags: ['--expose-gc'] });
  try {
    await drive(server, WARMUP_REQUESTS, config);
    await settledStats(server);
    const baseline = await heap(server);
    const half = Math.floor(config.heapRequests / 2);
    const first = await drive(server, half, config);
    await settledStats(server);
    const middle = await heap(server);
    const second = await drive(server, config.heapRequests - half, config);
    const stats = await settledStats(server);
    const end = await heap(server);
    const result = {
      variant: variant.name,
      requests: first.requests + second.requests,
      tasksRan: stats.ran,
      heapUsedMb: { baseline: baseline.heapUsed / MB, middle: middle.heapUsed / MB, end: end.heapUsed / MB },
      growthMb: (end.heapUsed - baseline.heapUsed) / MB,
      growthFirstHalfMb: (middle.heapUsed - baseline.heapUsed) / MB,
      growthSecondHalfMb: (end.heapUsed - middle.heapUsed) / MB,
      rssMb: end.rss / MB,
    };
    log(`heap ${variant.name}: ${result.requests} requests, growth ${result.growthMb.toFixed(2)} MB ` +
      `(first half ${result.growthFirstHalfMb.toFixed(2)}, second half ${result.growthSecondHalfMb.toFixed(2)})`);
    return result;
  } finally {
    await server.stop();
  }
}
