#!/usr/bin/env node
/**
 * `npm run bench [-- options]`: every variant of bench/variants.mjs over alternating rounds (servers
 * pinned to CPU 0, wrk to CPU 1), the micro-benchmarks, the heap check, the goals; writes
 * bench/results/latest.{json,md,svg}. Needs `npm run build` first (the servers import dist/ by the
 * package's name) and wrk, taskset and, for the FastAPI peer, Debian's python3-fastapi and
 * python3-uvicorn (bash bench/setup.sh). About 13 minutes on 2 cores.
 *
 *   --quick           smoke run: 1 round of 2 s runs, short micro and heap (about a minute; no verdicts to read)
 *   --rounds N        rounds (default 6); with --baseline, compare rounds
 *   --seconds N       seconds of each measured run (default 8)
 *   --only a,b        only these variants (goals missing a side read n/a)
 *   --micro           only the micro-benchmarks (printed, no results written)
 *   --baseline REV    with --micro: build REV's lib/ into .tmp/bench-baseline/ and compare it with the
 *                     current dist/, alternating child processes; >100% means the current build is faster
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBaseline, compareBuilds, MICROS, runMicro } from './harness/micro.mjs';
import { judgeGoals, machine, summarize, writeResults } from './harness/report.mjs';
import { heapCheck, runRounds } from './harness/rounds.mjs';
import { BENCH_DIR, findPython } from './harness/servers.mjs';
import { VARIANTS } from './variants.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean' }, rounds: { type: 'string' }, seconds: { type: 'string' }, only: { type: 'string' },
    micro: { type: 'boolean' }, baseline: { type: 'string' },
  },
});
const quick = Boolean(args.quick);
const opts = {
  quick,
  only: args.only,
  rounds: Number(args.rounds ?? (quick ? 1 : 6)),
  seconds: Number(args.seconds ?? (quick ? 2 : 8)),
  // V8 keeps tiering up for seconds when its compiler threads share the server's one core.
  warmup: quick ? 1 : 5,
  heapSeconds: quick ? 2 : 20,
  quietBudget: quick ? 0 : 180,
};
const microArgs = quick ? ['--runs', '2', '--seconds', '0.3'] : ['--runs', '5', '--seconds', '1'];
const DIST = join(BENCH_DIR, '..', 'dist');
const started = Date.now();
const log = (message) => console.log(`[bench ${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${message}`);

function preflight() {
  const missing = ['wrk', 'taskset'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length) throw new Error(`${missing.join(' and ')} missing: bash bench/setup.sh (Debian) installs what the bench needs`);
  if (!existsSync(join(DIST, 'index.js'))) throw new Error('no dist/: run npm run build first');
}

async function micro() {
  if (!args.baseline) {
    for (const name of MICROS) console.log(`${name}: ${JSON.stringify((await runMicro(name, DIST, microArgs)).shapes)}`);
    return;
  }
  const { sha, dist } = buildBaseline(args.baseline, log);
  const rows = await compareBuilds({ baseline: dist, current: DIST, rounds: Number(args.rounds ?? (quick ? 2 : 6)), args: microArgs }, log);
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const num = (x) => Math.round(x).toLocaleString('en-US');
  console.log(`\nCurrent dist/ vs ${args.baseline} (${sha}): median of per-round ratios, >100% = current faster\n`);
  console.log('| micro-benchmark shape | baseline | current | current vs baseline | rounds min-max |\n|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.key} | ${num(r.baseline)} | ${num(r.current)} | ${pct(r.ratio)} | ${pct(r.min)}-${pct(r.max)} |`);
}

async function main() {
  preflight();
  if (args.micro) return micro();
  log('compiling bench/servers');
  execFileSync(join(BENCH_DIR, '..', 'node_modules', '.bin', 'tsc'), ['-p', join(BENCH_DIR, 'tsconfig.json')], { stdio: 'inherit' });
  const python = findPython();
  const variants = VARIANTS.filter((v) => (!args.only || args.only.split(',').includes(v.name)) && (v.app !== 'fastapi' || python));
  if (!python) log('FastAPI variant skipped: no python3 with fastapi, uvicorn, uvloop, httptools (bash bench/setup.sh)');

  const date = new Date().toISOString();
  const { runs, tasks } = await runRounds(variants, { ...opts, python: python?.python }, log);
  for (const [name, { added, ran }] of Object.entries(tasks)) if (ran !== added) log(`WARNING ${name}: ${ran} of ${added} tasks ran`);

  log('micro-benchmarks');
  const [runner, requestPath] = [await runMicro('runner-throughput', DIST, microArgs), await runMicro('request-path', DIST, microArgs)];
  const checks = [];
  for (const variant of variants.filter((v) => v.heap)) checks.push(await heapCheck(variant, opts, log));

  const results = {
    date, machine: machine(python), options: opts, variants: variants.map((v) => v.name), runs, tasks, medians: summarize(runs),
    micro: { runner, requestPath },
    heap: checks.length ? { checks, worstGrowthMb: Math.max(...checks.map((c) => c.growthMb)) } : undefined,
  };
  results.goals = judgeGoals(results);
  console.log(`\n${writeResults(results)}`);
  log('wrote bench/results/latest.{json,md,svg}');
}

// Signals end the process without 'exit' listeners otherwise, and those stop the servers.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
