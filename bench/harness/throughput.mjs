/**
 * The alternating throughput rounds. By default every variant's server is started once, warmed up for
 * BENCH_WARMUP seconds (V8 keeps tiering up for many seconds when its compiler threads share the server's
 * one core), and then measured once per round, the variants taking turns. BENCH_FRESH_SERVERS=1 starts a
 * fresh server for every run instead (warm-up each time): slower, and it adds process-to-process variance.
 *
 * Between its runs a server idles for a minute while the others are measured. V8's memory reducer shrinks
 * the heap in such pauses, and afterwards the server's p99 under paced load stayed about 5x worse for more
 * than 10 s (measured on tasks-injected-no-task: 4 ms back to back, 21 ms after 60 s idle; 4 ms with
 * --no-memory-reducer). A server under steady traffic never pauses like that, so Node servers run with
 * --no-memory-reducer here (config.serverNodeFlags, BENCH_NODE_FLAGS).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { execFileSync } from 'node:child_process';
import { othersOnServerCore, readProcessTicks, waitForQuiet, watchCpu } from './cpu-usage.mjs';
import { MachineSpeed } from './machine-speed.mjs';
import { startServer } from './server.mjs';
import { runWrk } from './wrk.mjs';

/** The unit of /proc/<pid>/stat's CPU times (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Share of a core (taken by others, or idle) above which a run counts as disturbed. */
export const NOISY = 0.05;

/**
 * Whether other processes may have changed a run's result. Others on the server's core always count. A
 * saturated run is also disturbed when its server idled, i.e. wrk (slowed by neighbours on its core) did
 * not keep it busy; while the server stays busy, a slower wrk changes nothing. A paced run idles by design,
 * and its latencies are wrk's clock: there, others on wrk's core count.
 */
export function isDisturbed(run) {
  const cpu = run.cpu ?? {};
  // The host slowed down around the run (machine-speed.mjs): nothing in the guest shows it.
  if (run.speed?.slowed) return true;
  if (othersOnServerCore(run) > NOISY) return true;
  return run.load === 'paced' ? cpu.foreignOnLoadCore > NOISY : cpu.serverCoreIdle > NOISY;
}

const pct = (x) => (x === undefined ? '?' : `${(x * 100).toFixed(0)}%`);
function loadOptions(variant, config) {
  return {
    cpu: config.loadCpu,
    connections: config.connections,
    delayMs: variant.load === 'paced' ? config.pacedDelayMs : undefined,
  };
}

/** How many rounds measure a variant (or a run of it): paced ones (goal 5) have their own count. */
function roundsOf(variant, config) {
  return variant.load === 'paced' ? config.pacedRounds : config.rounds;
}

/** Seconds of one measured run of a variant. */
function secondsOf(variant, config) {
  return variant.load === 'paced' ? config.pacedDurationSeconds : config.durationSeconds;
}

function describeRun(run, config) {
  return `round ${run.round}/${roundsOf(run, config)} ${run.variant.padEnd(30)} ${run.rps.toFixed(0).padStart(6)} req/s  ` +
    `p50 ${(run.latency_us.p50 / 1000).toFixed(2)} ms  p99 ${(run.latency_us.p99 / 1000).toFixed(2)} ms` +
    `${run.slices ? `  (${run.slices} slices, taking turns with ${run.slicedWith.join(', ')})` : ''}` +
    `${run.concurrentWith ? `  (per CPU second, loaded at once with ${run.concurrentWith.join(', ')}; wrk saw ${run.wallRps.toFixed(0)} req/s)` : ''}` +
    `${run.non2xx ? `  NON-2XX ${run.non2xx}` : ''}` +
    `${isDisturbed(run) ? `  DISTURBED: others used ${pct(othersOnServerCore(run))} of the server core, ` +
      `${pct(run.cpu.foreignOnLoadCore)} of the load core; the server idled ${pct(run.cpu.serverCoreIdle)}` +
      `${run.speed ? `; the machine was ${pct(run.speed.cpu)} (loop) and ${pct(run.speed.memory)} (memory) slower than its best` : ''}` : ''}`;
}

/**
 * Rotates the starting variant each round, so no variant always runs first, and runs every other round
 * backwards. A rotation alone keeps the cyclic order: each variant would follow the same neighbour in
 * most rounds (BENCHMARKS.md, session 10). Backwards, it follows the other one, so any carry-over from
 * the run before (a dying server, page cache, CPU state) falls on each variant from both sides equally.
 * A variant with `measuredWith` joins that variant's group, and the group rotates as one: a goal's sides
 * are then measured together (see measureSides) instead of minutes apart, while the machine's speed
 * moves by ~10% within seconds and more over minutes (BENCHMARKS.md, session 12). The backwards rounds
 * also reverse each group, so no side always goes first.
 * @returns the round's groups in order, each an array of variants
 */
function groupsOfRound(variants, round) {
  const byName = new Map(variants.map((variant) => [variant.name, variant]));
  const anchorOf = (variant) => (byName.has(variant.measuredWith) ? variant.measuredWith : variant.name);
  const groups = [];
  for (const variant of variants) {
    if (anchorOf(variant) !== variant.name) continue;
    const members = variants.filter((other) => other !== variant && anchorOf(other) === variant.name);
    groups.push([variant, ...members]);
  }
  const grouped = groups.reduce((sum, group) => sum + group.length, 0);
  if (grouped !== variants.length) throw new Error('measuredWith must name a variant that has no measuredWith itself');
  const offset = (round - 1) % groups.length;
  const rotated = [...groups.slice(offset), ...groups.slice(0, offset)];
  return round % 2 === 0 ? rotated.reverse().map((group) => [...group].reverse()) : rotated;
}

/**
 * One run made of slices (wrk runs of one server each): counts add up, the rate is theirs over their
 * summed time. Percentiles cannot be merged from percentiles, so the run's latency figures are the
 * slices' weighted by their requests: an approximation, shown for saturated runs, which no goal judges by
 * latency. CPU shares are the slices' mean (the slices are equally long).
 */
function combineSlices(slices) {
  const sum = (pick) => slices.reduce((total, slice) => total + (pick(slice) ?? 0), 0);
  const requests = sum((slice) => slice.requests);
  const duration_us = sum((slice) => slice.duration_us);
  const weighted = (key) => (requests ? sum((slice) => slice.latency_us[key] * slice.requests) / requests : undefined);
  const errors = {};
  for (const key of Object.keys(slices[0].errors)) errors[key] = sum((slice) => slice.errors[key]);
  const cpu = {};
  for (const key of Object.keys(slices[0].cpu ?? {})) {
    const known = slices.map((slice) => slice.cpu?.[key]).filter((value) => value !== undefined);
    if (known.length === slices.length) cpu[key] = known.reduce((total, value) => total + value, 0) / known.length;
  }
  return {
    requests,
    duration_us,
    bytes: sum((slice) => slice.bytes),
    errors,
    latency_us: {
      mean: weighted('mean'), stdev: weighted('stdev'), max: Math.max(...slices.map((slice) => slice.latency_us.max)),
      p50: weighted('p50'), p90: weighted('p90'), p99: weighted('p99'), p999: weighted('p999'),
    },
    rps: requests / (duration_us / 1e6),
    non2xx: errors.status,
    wrkTicks: slices.every((slice) => slice.wrkTicks !== undefined) ? sum((slice) => slice.wrkTicks) : undefined,
    cpu,
    slices: slices.length,
    // Each slice's rate, in the order measured: whether a pair's sides differ steadily (two processes) or
    // from slice to slice (the machine).
    sliceRps: slices.map((slice) => Math.round(slice.requests / (slice.duration_us / 1e6))),
  };
}

/**
 * @returns { runs, taskChecks } runs: one entry per (round, variant); taskChecks: variant -> { added, ran }
 *          from the server's last STATS line (printed after app.close(), which drains the tasks)
 */
export async function runThroughput(variants, config, python, log) {
  const runs = [];
  const taskChecks = {};
  const servers = new Map();
  let retriesLeft = config.retries;
  // Seconds all runs together may spend waiting for a quiet machine, so a busy one cannot stretch the bench.
  let quietBudget = config.quietBudgetSeconds;
  const speed = new MachineSpeed(config.serverCpu);
  if (config.speedProbe) {
    const best = await speed.calibrate();
    log(best ? `machine speed probe on CPU ${config.serverCpu}: loop ${best.cpuMs.toFixed(1)} ms, memory ${best.memoryMs.toFixed(1)} ms (best of 3)` : 'machine speed probe unavailable (taskset?)');
  }
  // Waits (within the quiet budget) while the probe finds the machine slowed; returns the last probe.
  const probeBefore = async () => {
    let probe = await speed.probe();
    for (let verdict = speed.judge([probe]); verdict?.slowed && quietBudget >= 5; verdict = speed.judge([probe])) {
      log(`  the machine is slower than its best (${JSON.stringify(verdict)}); waiting 5 s`);
      await sleep(5000);
      quietBudget -= 5;
      probe = await speed.probe();
    }
    return probe;
  };
  const perRun = (variant) => (config.freshServers ? config.warmupSeconds + 1 : config.rewarmSeconds) + secondsOf(variant, config);
  const measured = variants.reduce((sum, variant) => sum + roundsOf(variant, config) * perRun(variant), 0);
  const minutes = ((config.freshServers ? 0 : variants.length * (config.warmupSeconds + 1)) + measured) / 60;
  log(`throughput: ${variants.length} variants x ${config.rounds} rounds (paced: ${config.pacedRounds}), about ${Math.ceil(minutes)} min`);
  const lastRound = Math.max(0, ...variants.map((variant) => roundsOf(variant, config)));

  const start = async (variant) => {
    const server = await startServer(variant, { cpu: config.serverCpu, python: python.python, nodeFlags: config.serverNodeFlags });
    if (config.warmupSeconds) await runWrk(server.url, { ...loadOptions(variant, config), durationSeconds: config.warmupSeconds });
    return server;
  };
  const stop = async (variant, server) => {
    const { stats } = await server.stop();
    if (!variant.addsTasks || !stats) return;
    const sum = (taskChecks[variant.name] ??= { added: 0, ran: 0 });
    sum.added += stats.added;
    sum.ran += stats.ran;
  };

  const failed = (round, variant, error) => {
    log(`round ${round} ${variant.name} FAILED: ${error.message}`);
    runs.push({ round, variant: variant.name, failed: error.message });
  };

  /** Keeps a measured run: the machine's speed around it, the record, the console line. */
  const keep = (run, before, after) => {
    if (config.speedProbe) run.speed = { ...speed.judge([before, after]), before, after };
    runs.push(run);
    log(describeRun(run, config));
    return run;
  };

  // A moment for the server to finish what the load left (a paced run's last tasks) off the core.
  const probeAfter = () => (config.speedProbe ? sleep(300).then(() => speed.probe()) : undefined);

  /**
   * Measures the started `sides` of one group in one round: one side alone gets one wrk run of its
   * seconds; two or more (a goal's saturated sides) are loaded at once (measureAtOnce) or take turns
   * (measureInTurns), as `config.pairing` says. A run others disturbed measures the whole group again,
   * so its sides stay paired.
   */
  const measureSides = async (sides, round) => {
    const together = sides.length > 1;
    const seconds = secondsOf(sides[0].variant, config);
    for (let attempt = 1; ; attempt++) {
      quietBudget -= await waitForQuiet(Math.min(config.quietWaitPerRunSeconds, quietBudget), log);
      const before = config.speedProbe ? await probeBefore() : undefined;
      // Every side of a group idled while the next one warmed up; a lone fresh server is measured warm.
      if (config.rewarmSeconds && (together || !config.freshServers)) {
        for (const side of sides) await runWrk(side.server.url, { ...side.load, durationSeconds: config.rewarmSeconds });
      }
      const measured = together && config.pairing === 'concurrent'
        ? await measureAtOnce(sides, round, attempt, seconds, before)
        : await measureInTurns(sides, round, attempt, seconds, before);
      // A run others disturbed is kept in the record but measured again, within a budget.
      if (!measured.some(isDisturbed) || retriesLeft === 0) return;
      retriesLeft--;
      for (const run of measured) run.retried = true;
    }
  };

  /**
   * One side: one wrk run of `seconds`. Several: slices of BENCH_SLICE seconds taking turns (ABBA...),
   * each side's slices adding up to `seconds`, so both see the same stretch of the machine, whose speed
   * moves within seconds (BENCHMARKS.md, session 12); it also moves within one second, which slices
   * cannot share (session 13).
   */
  const measureInTurns = async (sides, round, attempt, seconds, before) => {
    const together = sides.length > 1;
    const slices = together ? Math.max(1, Math.round(seconds / config.sliceSeconds)) : 1;
    const results = new Map(sides.map((side) => [side, []]));
    for (let slice = 0; slice < slices; slice++) {
      for (const side of slice % 2 ? [...sides].reverse() : sides) {
        const cpu = watchCpu(side.server.pid, config.serverCpu, config.loadCpu);
        const result = await runWrk(side.server.url, { ...side.load, durationSeconds: together ? config.sliceSeconds : seconds });
        results.get(side).push({ ...result, cpu: cpu.stop(result.wrkTicks) });
      }
    }
    const after = await probeAfter();
    return sides.map((side) => {
      const result = together ? combineSlices(results.get(side)) : results.get(side)[0];
      const run = { round, variant: side.variant.name, load: side.variant.load, attempt, ...result };
      if (together) run.slicedWith = sides.filter((other) => other !== side).map((other) => other.variant.name);
      return keep(run, before, after);
    });
  };

  /**
   * Loads all `sides` at once, each from its own wrk, for `seconds`, with every server on the server core:
   * the machine's speed, which moves within a second, is then the same for all of them at every instant.
   * The kernel splits the core between them, so a side's figure is its requests per second of CPU the
   * side was given (`rps`; what wrk saw is `wallRps`). Two `bare` servers measured so read each other at
   * 98.3-99.4%, against an SD of 5-6 points for slices (BENCHMARKS.md, session 13). The server started
   * first read ~1-4% lower there; the backwards rounds start the other side first.
   */
  const measureAtOnce = async (sides, round, attempt, seconds, before) => {
    const pids = sides.map((side) => side.server.pid);
    const cpu = watchCpu(pids, config.serverCpu, config.loadCpu);
    const ticksBefore = pids.map((pid) => readProcessTicks(pid));
    const results = await Promise.all(sides.map((side) => runWrk(side.server.url, { ...side.load, durationSeconds: seconds })));
    const ticksAfter = pids.map((pid) => readProcessTicks(pid));
    const shares = cpu.stop(results.every((result) => result.wrkTicks !== undefined) ? results.reduce((sum, result) => sum + result.wrkTicks, 0) : undefined);
    const after = await probeAfter();
    return sides.map((side, index) => {
      const result = results[index];
      const ticks = ticksAfter[index] - ticksBefore[index];
      if (!(ticks > 0)) throw new Error(`no CPU time read for ${side.variant.name} (needs /proc)`);
      const cpuSeconds = ticks / CLOCK_TICKS_PER_SECOND;
      return keep({
        round, variant: side.variant.name, load: side.variant.load, attempt, ...result,
        wallRps: result.rps, rps: result.requests / cpuSeconds, cpuSeconds, cpu: shares,
        concurrentWith: sides.filter((other) => other !== side).map((other) => other.variant.name),
      }, before, after);
    });
  };

  /** Starts (fresh mode) the group's servers, measures them together, stops them. */
  const measureGroup = async (group, round) => {
    const sides = [];
    try {
      for (const variant of group) {
        try {
          const server = config.freshServers ? await start(variant) : servers.get(variant.name);
          if (!server) throw new Error('server did not start');
          sides.push({ variant, server, load: loadOptions(variant, config) });
        } catch (error) {
          failed(round, variant, error);
        }
      }
      if (sides.length) await measureSides(sides, round);
    } catch (error) {
      for (const side of sides) failed(round, side.variant, error);
    } finally {
      if (config.freshServers) for (const side of sides) await stop(side.variant, side.server);
    }
  };

  try {
    if (!config.freshServers) {
      for (const variant of variants) {
        try {
          servers.set(variant.name, await start(variant));
          log(`started and warmed ${variant.name} (${config.warmupSeconds} s)`);
        } catch (error) {
          log(`${variant.name} FAILED to start: ${error.message}`);
        }
      }
    }
    for (let round = 1; round <= lastRound; round++) {
      for (const group of groupsOfRound(variants.filter((v) => round <= roundsOf(v, config)), round)) {
        if (config.pairing !== 'back-to-back' && group.length > 1 && group.every((variant) => variant.load === 'saturate')) {
          await measureGroup(group, round);
        } else {
          for (const variant of group) await measureGroup([variant], round);
        }
      }
    }
  } finally {
    for (const variant of variants) {
      const server = servers.get(variant.name);
      if (server) await stop(variant, server);
    }
  }
  return { runs, taskChecks };
}
