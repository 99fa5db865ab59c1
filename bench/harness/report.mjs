/** Judges the goals of bench/variants.mjs and writes bench/results/latest.{json,md,svg}. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { GOALS, VARIANTS } from '../variants.mjs';
import { BENCH_DIR } from './servers.mjs';

export function median(list) {
  const sorted = list.filter(Number.isFinite).sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const git = (...args) => execFileSync('git', ['-C', BENCH_DIR, ...args], { encoding: 'utf8' }).trim();
const version = (pkg) => JSON.parse(readFileSync(join(BENCH_DIR, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version;

/** What the numbers were measured on: compare ratios within one results file, not numbers across machines. */
export function machine(python) {
  return {
    cpu: cpus()[0]?.model, cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), kernel: release(),
    node: process.version, nest: version('@nestjs/core'), fastify: version('fastify'), fastapiUvicorn: python?.versions,
    commit: git('rev-parse', '--short', 'HEAD'), libChanged: git('status', '--porcelain', '--', '../lib') !== '',
  };
}

/** Per variant: median rate and p99 over the rounds, min-max rate, runs. */
export function summarize(runs) {
  return Object.fromEntries(VARIANTS.map(({ name }) => [name, runs.filter((run) => run.variant === name)]).filter(([, mine]) => mine.length)
    .map(([name, mine]) => {
      const rps = mine.map((run) => run.rps);
      return [name, { rps: median(rps), min: Math.min(...rps), max: Math.max(...rps), p99: median(mine.map((run) => run.p99)), runs: mine.length }];
    }));
}

/** The median of per-round ratios a/b of `metric`, over the rounds that measured both. */
function pairedRatio(runs, [a, b], metric) {
  const ratios = [];
  for (const x of runs.filter((run) => run.variant === a)) {
    const y = runs.find((run) => run.variant === b && run.round === x.round);
    if (y) ratios.push(x[metric] / y[metric]);
  }
  return ratios.length ? { value: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds: ratios.length } : undefined;
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;

export function judgeGoals(results) {
  return GOALS.map((goal) => {
    const pair = goal.rps ?? goal.p99;
    const ratio = pair && pairedRatio(results.runs, pair, goal.rps ? 'rps' : 'p99');
    const value = pair ? ratio?.value : goal.value(results);
    const target = goal.atLeast !== undefined ? `>= ${show(goal, goal.atLeast)}` : `<= ${show(goal, goal.atMost)}`;
    if (value === undefined) return { title: goal.title, target, verdict: 'n/a' };
    const pass = goal.atLeast !== undefined ? value >= goal.atLeast : value <= goal.atMost;
    const measured = show(goal, value) + (ratio ? ` (rounds ${pct(ratio.min)}-${pct(ratio.max)})` : '');
    return { title: goal.title, target, value, measured, verdict: pass ? 'pass' : 'FAIL' };
  });
}

function show(goal, x) {
  if (!goal.value) return pct(x);
  return goal.unit === '/s' ? `${Math.round(x / 1000).toLocaleString('en-US')}k/s` : `${x.toFixed(2)}${goal.unit}`;
}

function markdown(r) {
  const m = r.machine;
  const num = (x) => Math.round(x).toLocaleString('en-US');
  const lines = [
    `# Benchmark results${r.options.quick ? ' (--quick: a smoke run, not for reading goals)' : ''}${r.options.only ? ` (--only ${r.options.only})` : ''}`, '',
    `${r.date}, commit ${m.commit}${m.libChanged ? ' (lib/ had uncommitted changes)' : ''}: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, kernel ${m.kernel}; ` +
      `Node ${m.node}, Nest ${m.nest}, Fastify ${m.fastify}; FastAPI/uvicorn ${m.fastapiUvicorn ?? 'not installed'}.`,
    `${r.options.rounds} rounds of ${r.options.seconds} s runs after ${r.options.warmup} s warm-ups; server on CPU 0, wrk -t1 -c50 on CPU 1; ` +
      `${r.runs.filter((run) => run.othersCores > 0.15).length} of ${r.runs.length} runs started while other processes used more than 0.15 cores.`, '',
    '## Goals', '', '| goal | target | measured | verdict |', '|---|---|---|---|',
    ...r.goals.map((g) => `| ${g.title} | ${g.target} | ${g.measured ?? '-'} | ${g.verdict === 'pass' ? 'pass' : `**${g.verdict}**`} |`), '',
    '## Variants', '',
    'Saturated variants: requests per CPU second, each server alone on the server core, its set in alternating turns. Paced: wrk\'s rate.', '',
    '| variant | median req/s | min-max | p99 ms | runs | tasks ran/added | what it is |', '|---|---:|---:|---:|---:|---|---|',
    ...VARIANTS.filter((v) => r.medians[v.name]).map((v) => {
      const s = r.medians[v.name];
      const t = r.tasks[v.name];
      return `| \`${v.name}\` | ${num(s.rps)} | ${num(s.min)}-${num(s.max)} | ${(s.p99 / 1000).toFixed(2)} | ${s.runs} | ${t?.added ? `${t.ran}/${t.added}` : '-'} | ${v.label} |`;
    }),
  ];
  if (r.micro) {
    lines.push('', '## Micro-benchmarks (public API, one core)', '', '| benchmark | shape | median |', '|---|---|---:|');
    for (const [shape, s] of Object.entries(r.micro.runner.shapes)) lines.push(`| runner-throughput | \`${shape}\` | ${num(s.median)} tasks/s |`);
    for (const [shape, s] of Object.entries(r.micro.requestPath.shapes)) lines.push(`| request-path | \`${shape}\` | ${num(s.median)} ns/request |`);
  }
  if (r.heap) {
    lines.push('', '## Heap', '', '| variant | requests | heap after warm-up | growth |', '|---|---:|---:|---:|');
    for (const h of r.heap.checks) lines.push(`| \`${h.variant}\` | ${num(h.requests)} | ${h.heapBeforeMb.toFixed(1)} MB | ${h.growthMb.toFixed(2)} MB |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Bars of the median rates (whiskers: min-max over the rounds), paced variants by p99. No dependency. */
function svg(r) {
  const COLORS = { reference: '#8c8c8c', library: '#e0234e', peer: '#059669' };
  const rows = VARIANTS.filter((v) => r.medians[v.name]);
  const bar = (v) => (v.paced ? r.medians[v.name].p99 / 1000 : r.medians[v.name].rps);
  const scale = (v) => 420 / Math.max(...rows.filter((w) => !!w.paced === !!v.paced).map((w) => (w.paced ? bar(w) : r.medians[w.name].max)));
  const parts = rows.map((v, i) => {
    const y = 40 + i * 24;
    const s = r.medians[v.name];
    const text = v.paced ? `p99 ${bar(v).toFixed(2)} ms` : `${Math.round(s.rps).toLocaleString('en-US')}/s`;
    const whisker = v.paced ? '' : `<path d="M${230 + s.min * scale(v)} ${y + 9}H${230 + s.max * scale(v)}" stroke="#222"/>`;
    return `<text x="222" y="${y + 13}" text-anchor="end">${v.name}</text><rect x="230" y="${y + 2}" width="${(bar(v) * scale(v)).toFixed(1)}" height="16" fill="${COLORS[v.kind]}"/>${whisker}<text x="${660}" y="${y + 13}">${text}</text>`;
  });
  const height = 50 + rows.length * 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="780" height="${height}" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="#fff"/>` +
    `<text x="10" y="20">${r.date}, ${r.machine.cpu} (${r.machine.cores} cores), Node ${r.machine.node}: median req/s per CPU second (paced: p99)</text>\n${parts.join('\n')}\n</svg>\n`;
}

export function writeResults(results) {
  const dir = join(BENCH_DIR, 'results');
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 1)}\n`);
  writeFileSync(join(dir, 'latest.md'), markdown(results));
  writeFileSync(join(dir, 'latest.svg'), svg(results));
  return markdown(results);
}
