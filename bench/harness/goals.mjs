/**
 * The goals of issue 5, judged from a finished run. Each returns { measured, pass, detail }; pass is null
 * when a variant it needs did not run (skipped, opt-in, or not built yet).
 */
import { median } from './stats.mjs';

const pct = (x) => `${(x * 100).toFixed(1)}%`;

/**
 * Pairs of runs of `numerator` and `denominator` measured together (one group, one round, one attempt:
 * loaded at once, or in slices taking turns), both used for the medians.
 */
function pairedRuns(ctx, numerator, denominator) {
  const pairs = [];
  for (const x of ctx.runs) {
    if (x.variant !== numerator) continue;
    const together = x.concurrentWith ?? x.slicedWith;
    if (!together?.includes(denominator)) continue;
    const y = ctx.runs.find((run) => run.variant === denominator && run.round === x.round && run.attempt === x.attempt);
    if (y) pairs.push([x, y]);
  }
  return pairs;
}

/**
 * A goal's throughput ratio. Sides measured together in each round: the median of the per-round ratios,
 * since each round's pair shared the machine's speed, which moves by half between rounds (BENCHMARKS.md,
 * session 14). Sides measured apart: the ratio of medians. Either way with the range of per-round ratios.
 */
function throughputRatio(ctx, numerator, denominator) {
  const a = ctx.medians[numerator]?.rps;
  const b = ctx.medians[denominator]?.rps;
  if (a === undefined || b === undefined) return undefined;
  const paired = pairedRuns(ctx, numerator, denominator).map(([x, y]) => x.rps / y.rps);
  // A server loaded alone has the whole core; one loaded at once with others is judged per CPU second,
  // which reads ~10% lower (two servers switching on one core): such rates are not comparable.
  if (!paired.length && loadedAtOnce(ctx, numerator) !== loadedAtOnce(ctx, denominator)) return { comparable: false };
  const perRound = paired.length ? paired : roundRatios(ctx, numerator, denominator);
  const ratio = paired.length ? median(paired) : a / b;
  return { comparable: true, ratio, paired: paired.length > 0, ratioOfMedians: a / b, perRoundMin: Math.min(...perRound), perRoundMax: Math.max(...perRound), a, b };
}

/** Whether a variant's runs were loaded at once with others (rates per CPU second). */
function loadedAtOnce(ctx, name) {
  return ctx.runs.some((run) => run.variant === name && run.concurrentWith !== undefined);
}

/** Per-round ratios of two variants measured apart (each round's first run of each). */
function roundRatios(ctx, numerator, denominator) {
  const perRound = [];
  for (const round of new Set(ctx.runs.map((run) => run.round))) {
    const x = ctx.runs.find((run) => run.round === round && run.variant === numerator);
    const y = ctx.runs.find((run) => run.round === round && run.variant === denominator);
    if (x && y) perRound.push(x.rps / y.rps);
  }
  return perRound;
}

/**
 * The library's fastest way to add a task in this run: of the `libraryWay` variants whose rate compares
 * with `fire-and-forget`'s (see throughputRatio), the one with the highest ratio to it.
 */
function fastestLibraryWay(ctx) {
  const ways = ctx.variants.filter((v) => v.libraryWay && throughputRatio(ctx, v.name, 'fire-and-forget')?.comparable);
  ways.sort((x, y) => throughputRatio(ctx, y.name, 'fire-and-forget').ratio - throughputRatio(ctx, x.name, 'fire-and-forget').ratio);
  return ways[0]?.name;
}

function ratioGoal(ctx, numerator, denominator, threshold) {
  if (!numerator) return { pass: null, detail: 'no library variant ran' };
  const r = throughputRatio(ctx, numerator, denominator);
  if (!r) return { pass: null, detail: `needs ${numerator} and ${denominator}` };
  if (!r.comparable) return { pass: null, detail: `${numerator} and ${denominator} were not measured alike` };
  return {
    measured: r.ratio,
    shown: `${pct(r.ratio)} (rounds: ${pct(r.perRoundMin)}-${pct(r.perRoundMax)})`,
    pass: r.ratio >= threshold,
    detail: (r.paired ? 'median of per-round ratios; ' : 'ratio of medians; ') +
      `medians ${numerator} ${r.a.toFixed(0)} / ${denominator} ${r.b.toFixed(0)} req/s` +
      (r.paired ? ` (ratio of medians ${pct(r.ratioOfMedians)})` : ''),
  };
}

/**
 * The best of a goal's subjects (the library's modes: with its global interceptor, and with
 * `globalInterceptor: false`), judged against one reference; every subject's ratio is in the detail, so
 * the default mode's number is never hidden behind the faster one's.
 */
function bestModeGoal(ctx, subjects, denominator, threshold) {
  const ran = subjects.filter((name) => throughputRatio(ctx, name, denominator)?.comparable);
  const unlike = subjects.filter((name) => throughputRatio(ctx, name, denominator)?.comparable === false);
  const apart = unlike.length ? `; not comparable (measured alone, ${denominator} at once): ${unlike.join(', ')}` : '';
  if (ran.length === 0) return { pass: null, detail: `needs one of ${subjects.join(', ')} and ${denominator}${apart}` };
  ran.sort((x, y) => throughputRatio(ctx, y, denominator).ratio - throughputRatio(ctx, x, denominator).ratio);
  const best = ratioGoal(ctx, ran[0], denominator, threshold);
  const others = ran.slice(1).map((name) => `${name} ${pct(throughputRatio(ctx, name, denominator).ratio)}`);
  return { ...best, detail: best.detail + (others.length ? `; also ${others.join(', ')}` : '') + apart };
}

export const GOALS = [
  {
    id: 1, title: 'fastest library way to add a task >= 90% of fire-and-forget (setImmediate)', target: '>= 90%',
    judge: (ctx) => ratioGoal(ctx, fastestLibraryWay(ctx), 'fire-and-forget', 0.9),
  },
  {
    id: 2, title: "card's request-scoped BackgroundTasks >= 95% of a request-scoped controller without tasks", target: '>= 95%',
    judge: (ctx) => bestModeGoal(ctx, ['request-scoped-task-lean', 'request-scoped-task'], 'request-scoped-no-task', 0.95),
  },
  {
    id: 3, title: 'routes that never touch tasks >= 98% of the same app without the module', target: '>= 98%',
    judge: (ctx) => bestModeGoal(ctx, ['module-untouched-lean', 'module-untouched'], 'bare', 0.98),
  },
  {
    id: 4, title: "fastest library way >= 1.5x FastAPI /bg (uvicorn, uvloop, httptools)", target: '>= 150%',
    judge: (ctx) => ratioGoal(ctx, fastestLibraryWay(ctx), 'fastapi-bg', 1.5),
  },
  {
    id: 5, title: 'p99 with a 50 ms task per request within 10% of the same route without it (paced load)', target: '<= 110%',
    judge: (ctx) => {
      const runsOf = (name) => ctx.runs.filter((run) => run.variant === name);
      const withTask = median(runsOf('paced-task-50ms').map((run) => run.latency_us.p99));
      const without = median(runsOf('paced-no-task').map((run) => run.latency_us.p99));
      if (withTask === undefined || without === undefined) return { pass: null, detail: 'needs paced-task-50ms and paced-no-task' };
      const ratio = withTask / without;
      // Context only, not part of the verdict: the same 50 ms task started without the library.
      const noLibrary = median(runsOf('paced-task-50ms-no-library').map((run) => run.latency_us.p99));
      const reference = noLibrary === undefined ? '' : `; without the library ${(noLibrary / 1000).toFixed(2)} ms (${pct(noLibrary / without)})`;
      return {
        measured: ratio,
        shown: pct(ratio),
        pass: ratio <= 1.1,
        detail: `median p99 ${(withTask / 1000).toFixed(2)} ms vs ${(without / 1000).toFixed(2)} ms${reference}`,
      };
    },
  },
  {
    id: 6, title: 'runner executes >= 200k no-op tasks/s on one core (micro-benchmark)', target: '>= 200k/s',
    judge: (ctx) => {
      if (!ctx.micro) return { pass: null, detail: 'micro-benchmark skipped' };
      const library = Object.entries(ctx.micro.shapes).filter(([shape]) => shape !== 'setImmediate');
      const [slowest, { median: rate }] = library.sort((a, b) => a[1].median - b[1].median)[0];
      return {
        measured: rate,
        shown: `${(rate / 1000).toFixed(0)}k/s`,
        pass: rate >= 200_000,
        detail: `slowest library shape: ${slowest}`,
      };
    },
  },
  {
    id: 7, title: 'heap growth after N requests that add tasks, after forced GC, < 5 MB (issue: N = 1M)', target: '< 5 MB',
    judge: (ctx) => {
      if (!ctx.heap?.length) return { pass: null, detail: 'heap check skipped' };
      const worst = [...ctx.heap].sort((a, b) => b.growthMb - a.growthMb)[0];
      return {
        measured: worst.growthMb,
        shown: `${worst.growthMb.toFixed(2)} MB`,
        pass: worst.growthMb < 5,
        detail: `${worst.variant}, ${worst.requests.toLocaleString('en-US')} requests` +
          (worst.requests < 1_000_000 ? ' (fewer than the goal\'s 1M: BENCH_HEAP_REQUESTS=1000000)' : ''),
      };
    },
  },
];

export function judgeGoals(ctx) {
  return GOALS.map(({ id, title, target, judge }) => ({ id, title, target, ...judge(ctx) }));
}
