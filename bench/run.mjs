#!/usr/bin/env node
/**
 * `npm run bench`: builds the library and the bench servers, alternates the variants of variants.mjs
 * over several rounds (server pinned to one core, wrk on the other), runs the runner micro-benchmark, the
 * heap check and CPU profiles, judges the goals of issue 5 and writes bench/results/<date>-<host>.{json,md,svg}.
 * Knobs: harness/config.mjs and BENCHMARKS.md. Installs nothing; bench/setup.sh does, on Debian.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lastLoad, QUIET, waitForQuiet } from './harness/cpu-usage.mjs';
import { BENCH_DIR, readConfig, REPO_DIR, RESULTS_DIR, TMP_DIR } from './harness/config.mjs';
import { judgeGoals } from './harness/goals.mjs';
import { heapCheck } from './harness/heap-check.mjs';
import { describeMachine } from './harness/machine.mjs';
import { checkTools, findPython } from './harness/preflight.mjs';
import { profileVariant } from './harness/profile.mjs';
import { nestAppPath } from './harness/server.mjs';
import { max, median, min } from './harness/stats.mjs';
import { isDisturbed, runThroughput } from './harness/throughput.mjs';
import { writeResults } from './harness/write-results.mjs';
import { VARIANTS } from './variants.mjs';

const started = Date.now();

const log = (message) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${message}`);

function build() {
  const steps = [
    ['npm', ['run', 'build']],
    [join(REPO_DIR, 'node_modules', '.bin', 'tsc'), ['-p', join(BENCH_DIR, 'tsconfig.json')]],
  ];
  for (const [command, args] of steps) {
    log(`build: ${relative(REPO_DIR, command) || command} ${args.join(' ')}`);
    const result = spawnSync(command, args, { cwd: REPO_DIR, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`build step failed: ${command} ${args.join(' ')}`);
  }
}

/** Why a variant cannot run here, or undefined when it can. */
function skipReason(variant, python) {
  if (variant.optIn && process.env[variant.optIn] !== '1') return `opt-in: set ${variant.optIn}=1`;
  if (variant.server.type === 'nest' && !existsSync(nestAppPath(variant.server.app))) {
    return `${variant.planned ? 'planned slot' : 'missing app'}: add bench/servers/apps/${variant.server.app}.ts`;
  }
  if (variant.server.type === 'fastapi' && python.skipReason) return python.skipReason;
  return variant.requires?.();
}

/**
 * Picks the runs each variant's medians come from: the undisturbed ones (see isDisturbed) when there are
 * at least two, else all of them. Marks every run with `disturbed` and `used`.
 */
function selectRuns(variants, runs) {
  for (const variant of variants) {
    const mine = runs.filter((run) => run.variant === variant.name && !run.failed);
    for (const run of mine) run.disturbed = isDisturbed(run);
    const clean = mine.filter((run) => !run.disturbed);
    const chosen = clean.length >= 2 ? clean : mine;
    for (const run of mine) run.used = chosen.includes(run);
  }
  return runs.filter((run) => run.used);
}

function summarizeRuns(variants, runs, taskChecks) {
  const medians = {};
  for (const variant of variants) {
    const mine = runs.filter((run) => run.variant === variant.name);
    if (!mine.length) continue;
    const rps = mine.map((run) => run.rps);
    const tasks = taskChecks[variant.name];
    medians[variant.name] = {
      rps: median(rps),
      rpsMin: min(rps),
      rpsMax: max(rps),
      p50: median(mine.map((run) => run.latency_us.p50)),
      p99: median(mine.map((run) => run.latency_us.p99)),
      runs: mine.length,
      disturbedRunsUsed: mine.filter((run) => run.disturbed).length,
      tasksCheck: tasks ? `${tasks.ran === tasks.added ? 'all ran' : 'MISMATCH'} (${tasks.ran}/${tasks.added})` : undefined,
    };
  }
  return medians;
}

/** Runs `bench/micro/<script>` on the server core; resolves with the JSON of its `<prefix> {...}` line. */
function runMicro(config, script, args, prefix) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', config.serverCpu, process.execPath, join(BENCH_DIR, 'micro', script), ...args.map(String)],
      { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(`${prefix} `));
      if (code !== 0 || !line) reject(new Error(`${script} failed (exit ${code})\n${out}`));
      else resolve(JSON.parse(line.slice(prefix.length + 1)));
    });
  });
}

async function main() {
  const config = readConfig();
  checkTools(config);
  const python = findPython(config.python);
  if (python.skipReason) log(`FastAPI variants skipped: ${python.skipReason}`);
  build();
  mkdirSync(TMP_DIR, { recursive: true });
  mkdirSync(RESULTS_DIR, { recursive: true });

  const variants = [];
  const skipped = [];
  for (const variant of VARIANTS) {
    if (config.only && !config.only.includes(variant.name)) continue;
    const reason = skipReason(variant, python);
    if (reason) skipped.push({ name: variant.name, reason });
    else variants.push(variant);
  }
  for (const { name, reason } of skipped) log(`skip ${name}: ${reason}`);

  // Other processes on the cores make every variant slower by a different amount: wait them out, or say so.
  await waitForQuiet(config.quietWaitSeconds, log);
  const otherLoad = lastLoad.cores;
  if (otherLoad > QUIET) log(`WARNING: other processes use ${otherLoad.toFixed(2)} cores; numbers will be low and noisy`);

  let runs = [];
  let taskChecks = {};
  if (!config.skip.has('throughput')) ({ runs, taskChecks } = await runThroughput(variants, config, python, log));
  const usedRuns = selectRuns(variants, runs);
  const medians = summarizeRuns(variants, usedRuns, taskChecks);

  let micro;
  let requestPath;
  if (!config.skip.has('micro')) {
    log(`micro-benchmark: ${config.microRepeats} runs of ${config.microSeconds} s per shape`);
    micro = await runMicro(config, 'runner-throughput.mjs', [config.microSeconds, config.microRepeats], 'MICRO');
    for (const [shape, { median: rate }] of Object.entries(micro.shapes)) log(`micro ${shape}: ${Math.round(rate).toLocaleString('en-US')} tasks/s`);
    requestPath = await runMicro(config, 'request-path.mjs', [config.requestPathIterations, config.microRepeats], 'REQUEST_PATH');
    log(`request path: the library's own CPU per @Tasks() request (lean), in-process: ${Math.round(requestPath.libraryNsPerRequest)} ns`);
  }

  const heap = [];
  if (!config.skip.has('heap')) {
    for (const name of config.heapVariants) {
      const variant = VARIANTS.find((v) => v.name === name);
      const reason = variant ? skipReason(variant, python) : 'unknown variant';
      if (reason) log(`heap ${name} skipped: ${reason}`);
      else heap.push(await heapCheck(variant, config, log));
    }
  }

  const profiles = [];
  if (!config.skip.has('profile')) {
    // Each variant once, even when it appears in several pairs.
    const names = [...new Set(config.profilePairs.flatMap(({ subject, reference }) => [subject, reference].filter(Boolean)))];
    for (const name of names) {
      const variant = VARIANTS.find((v) => v.name === name);
      const reason = variant ? skipReason(variant, python) : 'unknown variant';
      if (reason) log(`profile ${name} skipped: ${reason}`);
      else {
        await waitForQuiet(config.quietWaitPerRunSeconds, log);
        profiles.push(await profileVariant(variant, config, log));
      }
    }
  }

  const machine = describeMachine(python.versions);
  machine.otherLoadBeforeStart = otherLoad;
  const result = {
    schema: 1,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    config: { ...config, skip: [...config.skip] },
    variants: variants.map(({ requires, ...rest }) => rest),
    skipped,
    runs,
    taskChecks,
    medians,
    micro,
    requestPath,
    heap,
    profiles,
  };
  result.goals = judgeGoals({ variants, runs: usedRuns, medians, micro, heap });

  writeResults(result, Boolean(config.only || config.skip.size), log);

  for (const goal of result.goals) {
    const verdict = goal.pass === null ? 'n/a ' : goal.pass ? 'pass' : 'FAIL';
    log(`goal ${goal.id} ${verdict} ${(goal.shown ?? '').padEnd(28)} ${goal.title}${goal.detail ? ` (${goal.detail})` : ''}`);
  }
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
