/**
 * The micro-benchmarks as child processes pinned to the server core, and `--baseline <rev>`: that
 * revision's lib/ built under .tmp/bench-baseline/<rev>/dist, then each micro-benchmark run against the
 * baseline and the current dist/ in alternating child processes, the ratio judged per shape by the median
 * of per-round ratios (each round's pair ran seconds apart on the same machine).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './report.mjs';
import { BENCH_DIR, runForJson, SERVER_CPU } from './servers.mjs';

const REPO_DIR = join(BENCH_DIR, '..');
export const MICROS = ['runner-throughput', 'request-path'];

/** One micro-benchmark in a child process on the server core: its RESULT JSON. */
export const runMicro = (name, dist, args = []) =>
  runForJson(['-c', SERVER_CPU, process.execPath, join(BENCH_DIR, 'micro', `${name}.mjs`), '--dist', dist, ...args], 'RESULT');

/** Builds `rev`'s lib/ once into .tmp/bench-baseline/<sha>/dist; returns that directory. */
export function buildBaseline(rev, log) {
  const sha = execFileSync('git', ['-C', REPO_DIR, 'rev-parse', '--short', `${rev}^{commit}`], { encoding: 'utf8' }).trim();
  const dir = join(REPO_DIR, '.tmp', 'bench-baseline', sha);
  const dist = join(dir, 'dist');
  if (existsSync(join(dist, 'index.js'))) return { sha, dist };
  log(`building ${rev} (${sha}) into ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Since the dual build, scripts/build.mjs writes dist/index.js over tsc's dist/cjs: use it where it exists.
  const script = spawnSync('git', ['-C', REPO_DIR, 'cat-file', '-e', `${sha}:scripts/build.mjs`]).status === 0;
  const files = ['lib', 'tsconfig.json', 'tsconfig.build.json', 'package.json', ...(script ? ['scripts'] : [])];
  execFileSync('sh', ['-c', `git -C "$0" archive "$1" ${files.join(' ')} | tar -x -C "$2"`, REPO_DIR, sha, dir], { stdio: 'inherit' });
  symlinkSync(join(REPO_DIR, 'node_modules'), join(dir, 'node_modules'));
  if (script) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, stdio: 'inherit' });
  else execFileSync(join(REPO_DIR, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  return { sha, dist };
}

/** Lower is better for ns per request, higher for tasks/s: a ratio over 100% always means "current is faster". */
const speedup = (name, current, baseline) => (name === 'request-path' ? baseline / current : current / baseline);

/** Alternates baseline and current for `rounds`; returns rows { key, baseline, current, ratio, min, max }. */
export async function compareBuilds({ baseline, current, rounds, args }, log) {
  const rows = {};
  for (let round = 1; round <= rounds; round++) {
    for (const name of MICROS) {
      const order = round % 2 ? [['baseline', baseline], ['current', current]] : [['current', current], ['baseline', baseline]];
      const got = {};
      for (const [side, dist] of order) got[side] = await runMicro(name, dist, args);
      for (const [shape, { median: c }] of Object.entries(got.current.shapes)) {
        const b = got.baseline.shapes[shape]?.median;
        const row = (rows[`${name} ${shape}`] ??= { baseline: [], current: [], ratios: [] });
        row.baseline.push(b);
        row.current.push(c);
        row.ratios.push(speedup(name, c, b));
      }
      log(`compare round ${round}/${rounds} ${name} done`);
    }
  }
  return Object.entries(rows).map(([key, row]) => ({
    key, baseline: median(row.baseline), current: median(row.current),
    ratio: median(row.ratios), min: Math.min(...row.ratios), max: Math.max(...row.ratios),
  }));
}
