/**
 * The measured rounds and the heap check. Every run gets fresh servers, warmed first: one process can be
 * a few percent faster or slower than the next start of the same code for its whole life (JIT decisions,
 * code and heap layout), so rounds of one long-lived process would repeat its luck.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSeconds, runWrk, startServer, waitForQuiet } from './servers.mjs';

// 50 connections each pausing 50 ms: ~1k req/s, ~50 tasks of 50 ms in flight, under the library's
// default maxConcurrent (64); faster, p99 would measure the queue behind that limit.
const PACED_MS = 50;
// Servers of every run here have traffic without pause; V8's memory reducer would shrink an idle heap
// between warm-up and measurement, and p99 after it read several times worse for seconds.
const NODE_FLAGS = ['--no-memory-reducer'];

/**
 * The order of one round: sets rotate by one each round and every other round runs backwards, servers
 * within a set too, so no variant always goes first or follows the same neighbour. A paced set's
 * variants are measured one after the other (each needs its own wrk clock and the core to itself).
 */
function orderOf(variants, round) {
  const units = [];
  for (const variant of variants) {
    const unit = variant.set && units.find((u) => u[0].set === variant.set);
    if (unit) unit.push(variant);
    else units.push([variant]);
  }
  const k = (round - 1) % units.length;
  const rotated = [...units.slice(k), ...units.slice(0, k)];
  const ordered = round % 2 ? rotated : rotated.reverse().map((unit) => [...unit].reverse());
  return ordered.flatMap((unit) => (unit[0].paced ? unit.map((variant) => [variant]) : [unit]));
}

/** @returns runs: { round, variant, rps, p50, p99, requests, othersCores, ... } and task checks per variant */
export async function runRounds(variants, opts, log) {
  const runs = [];
  const tasks = {};
  let quietBudget = opts.quietBudget; // seconds of waiting for others, over the whole run
  for (let round = 1; round <= opts.rounds; round++) {
    for (const unit of orderOf(variants, round)) {
      const waitStart = Date.now();
      const othersCores = await waitForQuiet(Math.min(20, quietBudget), log);
      quietBudget -= (Date.now() - waitStart) / 1000;
      const servers = [];
      try {
        for (const variant of unit) {
          const server = await startServer(variant, { python: opts.python, nodeFlags: NODE_FLAGS });
          servers.push(server);
          await runWrk(server.url, opts.warmup, variant.paced && PACED_MS);
        }
        const measured = unit[0].paced ? await measurePaced(unit[0], servers[0], opts) : await measureInTurns(unit, servers, opts);
        for (const run of measured) {
          runs.push({ round, othersCores, ...run });
          log(`round ${round}/${opts.rounds} ${run.variant.padEnd(24)} ${Math.round(run.rps).toString().padStart(6)} req/s` +
            `${run.paced ? '' : ' per CPU second'}  p99 ${(run.p99 / 1000).toFixed(2)} ms${othersCores > 0.15 ? `  (others used ${othersCores} cores)` : ''}`);
        }
      } catch (error) {
        log(`round ${round} ${unit.map((v) => v.name).join(', ')} FAILED: ${error.message}`);
      } finally {
        for (const [i, server] of servers.entries()) {
          const stats = await server.stop();
          if (!stats) continue;
          const sum = (tasks[unit[i].name] ??= { added: 0, ran: 0 });
          sum.added += stats.added;
          sum.ran += stats.ran;
        }
      }
    }
  }
  return { runs, tasks };
}

async function measurePaced(variant, server, opts) {
  const result = await runWrk(server.url, opts.seconds, PACED_MS);
  return [{ variant: variant.name, paced: true, rps: result.rps, p50: result.latency_us.p50, p99: result.latency_us.p99 }];
}

/** Each server of a set is loaded alone this many times per round, in turns (see `measureInTurns`). */
const TURNS = 8;

/**
 * Loads the set's servers one at a time, each alone on the server core, in `TURNS` one-second turns per
 * round (the order rotating and reversing from turn to turn). A server's rate in a turn is its requests
 * per CPU second used; each turn's rates are divided by their geometric mean, which takes out the VM's
 * speed in that turn (it moves by tens of percent from one second to the next), and a server's score is
 * the median of its shares over the turns, so that a turn the VM stalled does not decide a round. The
 * rate reported is that score times the round's mean rate. Not loaded at once: servers sharing the core
 * also share its caches, and each switch between them costs a server with more code more, so the ratios
 * would depend on the neighbours (the library's card path read ~10 points lower that way).
 */
async function measureInTurns(unit, servers, opts) {
  const seconds = Math.max(1, Math.round(opts.seconds / TURNS)); // wrk takes whole seconds
  const rates = servers.map(() => []);
  const wall = servers.map(() => ({ requests: 0, seconds: 0, p50: [], p99: [] }));
  for (let turn = 0; turn < TURNS; turn++) {
    const order = servers.map((_, i) => i);
    const rotated = [...order.slice(turn % order.length), ...order.slice(0, turn % order.length)];
    for (const i of turn % 2 ? rotated.reverse() : rotated) {
      const before = cpuSeconds(servers[i].pid);
      const result = await runWrk(servers[i].url, seconds);
      rates[i].push(result.requests / (cpuSeconds(servers[i].pid) - before));
      wall[i].requests += result.requests;
      wall[i].seconds += result.duration_us / 1e6;
      wall[i].p50.push(result.latency_us.p50);
      wall[i].p99.push(result.latency_us.p99);
    }
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const geomean = (values) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
  const turnMeans = Array.from({ length: TURNS }, (_, t) => geomean(rates.map((r) => r[t])));
  const roundMean = geomean(turnMeans);
  return unit.map((variant, i) => ({
    variant: variant.name,
    rps: median(rates[i].map((rate, t) => rate / turnMeans[t])) * roundMean,
    wallRps: wall[i].requests / wall[i].seconds,
    p50: median(wall[i].p50),
    p99: median(wall[i].p99),
  }));
}

/**
 * Heap growth: the server under `--expose-gc`, warmed, weighed after forced GCs (SIGUSR2), then `seconds`
 * of saturating load, a pause for its last no-op tasks, weighed again. A leak grows with the requests.
 */
export async function heapCheck(variant, opts, log) {
  const server = await startServer(variant, { python: opts.python, nodeFlags: ['--expose-gc'] });
  const weigh = async () => {
    await sleep(500);
    process.kill(server.pid, 'SIGUSR2');
    return (await server.waitFor('HEAP', 30_000)).heapUsed / 2 ** 20;
  };
  try {
    await runWrk(server.url, opts.warmup);
    const before = await weigh();
    const { requests } = await runWrk(server.url, opts.heapSeconds);
    const growthMb = (await weigh()) - before;
    log(`heap ${variant.name}: ${requests.toLocaleString('en-US')} requests, heap ${before.toFixed(1)} MB, growth ${growthMb.toFixed(2)} MB`);
    return { variant: variant.name, requests, heapBeforeMb: before, growthMb };
  } finally {
    await server.stop();
  }
}
