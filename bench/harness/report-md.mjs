/** Markdown for a results file and for the generated section of BENCHMARKS.md (same tables in both). */
import { othersOnServerCore } from './cpu-usage.mjs';

const int = (x) => (x === undefined ? '-' : Math.round(x).toLocaleString('en-US'));
const ms = (us) => (us === undefined ? '-' : (us / 1000).toFixed(2));
const pct = (x) => (x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);
const verdict = (pass) => (pass === null ? 'not measured' : pass ? '**pass**' : '**FAIL**');

export function machineLine(result) {
  const m = result.machine;
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os} (kernel ${m.kernel}); Node ${m.node}, ` +
    `Nest ${m.nest}, Fastify ${m.fastify}; ${m.wrk}` +
    (m.python ? `; Python ${m.python.python}, FastAPI ${m.python.fastapi}, uvicorn ${m.python.uvicorn}, uvloop ${m.python.uvloop}, httptools ${m.python.httptools}` : '');
}

export function mediansTable(result) {
  const lines = [
    '| variant | load | median req/s | min-max req/s | vs bare | p50 ms | p99 ms | runs | tasks ran/added | what it is |',
    '|---|---|---:|---:|---:|---:|---:|---|---|---|',
  ];
  const bare = result.medians.bare?.rps;
  for (const variant of result.variants) {
    const m = result.medians[variant.name];
    if (!m) continue;
    lines.push(`| \`${variant.name}\` | ${variant.load} | ${int(m.rps)} | ${int(m.rpsMin)}-${int(m.rpsMax)} | ` +
      `${bare ? pct(m.rps / bare) : '-'} | ${ms(m.p50)} | ${ms(m.p99)} | ${m.runs}${m.disturbedRunsUsed ? ` (${m.disturbedRunsUsed} disturbed)` : ''} | ` +
      `${m.tasksCheck ?? '-'} | ${variant.label} |`);
  }
  return lines.join('\n');
}

export function goalsTable(result) {
  const lines = ['| # | goal | target | measured | verdict | detail |', '|---|---|---|---|---|---|'];
  for (const goal of result.goals) {
    lines.push(`| ${goal.id} | ${goal.title} | ${goal.target} | ${goal.shown ?? '-'} | ${verdict(goal.pass)} | ${goal.detail ?? ''} |`);
  }
  if (result.rejudged) {
    // A later judge read the same runs: what the run itself said stays on record.
    const said = result.rejudged.goalsBefore.map((goal) => `${goal.id} ${goal.shown ?? '-'} ${goal.pass === null ? 'n/a' : goal.pass ? 'pass' : 'FAIL'}`);
    lines.push('', `Re-judged from the same runs on ${result.rejudged.at.slice(0, 10)} (${result.rejudged.why}); the run's own verdicts were: ${said.join('; ')}.`);
  }
  return lines.join('\n');
}

export function microTable(result) {
  if (!result.micro) return '_skipped_';
  const lines = ['| shape | median tasks/s | runs |', '|---|---:|---|'];
  for (const [shape, { median, runs }] of Object.entries(result.micro.shapes)) {
    lines.push(`| \`${shape}\` | ${int(median)} | ${runs.map((r) => int(r)).join(', ')} |`);
  }
  return `${lines.join('\n')}\n\n${result.micro.repeats} runs of ${result.micro.secondsPerRun} s per shape after a warm-up, ` +
    `tasks added in chunks of ${result.micro.chunk} (each chunk awaited), one core.`;
}

export function requestPathTable(result) {
  const path = result.requestPath;
  if (!path) return '_skipped_';
  const lines = ['| shape | median ns per request | runs (ns) |', '|---|---:|---|'];
  for (const [shape, { medianNs, runs }] of Object.entries(path.shapes)) {
    lines.push(`| \`${shape}\` | ${int(medianNs)} | ${runs.map((r) => int(r)).join(', ')} |`);
  }
  return `${lines.join('\n')}\n\nThe library's own CPU per request: **${int(path.libraryNsPerRequest)} ns** (median of the ` +
    `per-run differences; ${path.runs} runs of ${int(path.iterations)} requests, alternated, one core). Real Node requests ` +
    'and responses without sockets; `bench/micro/request-path.mjs` says what each shape does.';
}

export function heapTable(result) {
  if (!result.heap?.length) return '_skipped_';
  const lines = ['| variant | requests | heap after warm-up MB | after half MB | at end MB | growth MB | RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|'];
  for (const h of result.heap) {
    lines.push(`| \`${h.variant}\` | ${int(h.requests)} | ${h.heapUsedMb.baseline.toFixed(2)} | ${h.heapUsedMb.middle.toFixed(2)} | ` +
      `${h.heapUsedMb.end.toFixed(2)} | ${h.growthMb.toFixed(2)} | ${h.rssMb.toFixed(0)} |`);
  }
  return lines.join('\n');
}

function profileBlock(summary, reference) {
  const refArea = (name) => reference?.areas.find((a) => a.name === name)?.usPerRequest ?? 0;
  const refIncl = (name) => reference?.inclusive.find((a) => a.name === name)?.usPerRequest ?? 0;
  const delta = (x, y) => (reference ? `${x - y >= 0 ? '+' : ''}${(x - y).toFixed(1)}` : '');
  const lines = [
    `**\`${summary.variant}\`**: ${int(summary.rpsUnderProfiler)} req/s under the profiler, ` +
      `${summary.busyUsPerRequest.toFixed(1)} us of CPU per request (${int(summary.requests)} requests, ` +
      `${(summary.busyMs / 1000).toFixed(1)} s busy, ${(summary.idleMs / 1000).toFixed(1)} s idle in the window).`,
    '',
    `| self time by area | share | us/request${reference ? ` | vs \`${reference.variant}\`` : ''} |`,
    `|---|---:|---:|${reference ? '---:|' : ''}`,
    ...summary.areas.map((a) => `| ${a.name} | ${pct(a.share)} | ${a.usPerRequest.toFixed(1)} |${reference ? ` ${delta(a.usPerRequest, refArea(a.name))} |` : ''}`),
    '',
    `| with on the stack (inclusive) | share | us/request${reference ? ` | vs \`${reference.variant}\`` : ''} |`,
    `|---|---:|---:|${reference ? '---:|' : ''}`,
    ...summary.inclusive.map((a) => `| ${a.name} | ${pct(a.share)} | ${a.usPerRequest.toFixed(1)} |${reference ? ` ${delta(a.usPerRequest, refIncl(a.name))} |` : ''}`),
    '',
    '| top self-time functions | area | share | us/request |',
    '|---|---|---:|---:|',
    ...summary.topSelf.slice(0, 15).map((f) => `| \`${f.name}\` | ${f.area} | ${pct(f.share)} | ${f.usPerRequest.toFixed(2)} |`),
  ];
  if (summary.libraryInclusive.length) {
    lines.push('', '| library functions (inclusive) | share | us/request |', '|---|---:|---:|',
      ...summary.libraryInclusive.slice(0, 10).map((f) => `| \`${f.name}\` | ${pct(f.share)} | ${f.usPerRequest.toFixed(2)} |`));
  }
  return lines.join('\n');
}

export function profileSection(result) {
  if (!result.profiles?.length) return '_skipped_';
  const byName = new Map(result.profiles.map((profile) => [profile.variant, profile]));
  // Results written before profiles came in pairs: the first profile against the second.
  const pairs = result.config.profilePairs ??
    [{ subject: result.profiles[0].variant, reference: result.profiles[1]?.variant }];
  const blocks = [];
  const shown = new Set();
  for (const { subject, reference } of pairs) {
    if (!byName.has(subject)) continue;
    blocks.push(profileBlock(byName.get(subject), byName.get(reference)));
    shown.add(subject);
  }
  for (const profile of result.profiles) {
    if (shown.has(profile.variant)) continue;
    blocks.push(`<details><summary>profile of <code>${profile.variant}</code></summary>\n\n${profileBlock(profile)}\n\n</details>`);
  }
  return blocks.join('\n\n');
}

export function runsTable(result) {
  const lines = ['| round | variant | req/s | requests | p50 ms | p99 ms | max ms | errors | others on server core | others on load core | server core idle | in medians |',
    '|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|'];
  for (const run of result.runs) {
    if (run.failed) {
      lines.push(`| ${run.round} | \`${run.variant}\` | failed: ${run.failed.split('\n')[0]} | | | | | | | | | no |`);
      continue;
    }
    const errors = Object.entries(run.errors).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ') || '0';
    lines.push(`| ${run.round} | \`${run.variant}\` | ${int(run.rps)} | ${int(run.requests)} | ${ms(run.latency_us.p50)} | ` +
      `${ms(run.latency_us.p99)} | ${ms(run.latency_us.max)} | ${errors} | ${pct(othersOnServerCore(run))} | ${pct(run.cpu?.foreignOnLoadCore)} | ` +
      `${pct(run.cpu?.serverCoreIdle)} | ${run.used ? 'yes' : 'no'} |`);
  }
  return lines.join('\n');
}

/** How a goal's sides were measured: at once or in slices since session 13, back to back before. */
function pairing(c) {
  if (c.pairing === 'concurrent') {
    return `each goal's saturated sides loaded at once for ${c.durationSeconds} s, each by its own wrk, and judged by requests per CPU second it was given (their req/s below), a fresh pair per round, started in turns`;
  }
  if (c.pairing === 'back-to-back') return "each goal's pair back to back";
  return c.sliceSeconds
    ? `each goal's saturated sides measured together, ${c.sliceSeconds} s of wrk each in turns until each had ${c.durationSeconds} s, a fresh pair per round`
    : "each goal's pair back to back";
}

function configLine(result) {
  const c = result.config;
  const lifecycle = c.freshServers
    ? `a fresh server per run, warmed for ${c.warmupSeconds} s`
    : `each server started once and warmed for ${c.warmupSeconds} s, then ${c.rewarmSeconds} s of load before each measured run`;
  return `${c.rounds} rounds (paced variants: ${c.pacedRounds ?? c.rounds}), round-robin over the variants (every other round backwards, ${pairing(c)}); server on CPU ${c.serverCpu}, ${lifecycle}; ` +
    `measured with \`taskset -c ${c.loadCpu} wrk -t1 -c${c.connections} -d${c.durationSeconds}s\` (latency percentiles from ` +
    `wrk's histogram, via bench/wrk/report.lua); paced runs last ${c.pacedDurationSeconds ?? c.durationSeconds} s and wait ${c.pacedDelayMs} ms between requests on each connection; ` +
    `Node servers run with \`${(c.serverNodeFlags ?? []).join(' ') || '(no flags)'}\`.`;
}

function noiseLine(result) {
  const noisy = result.runs.filter((run) => run.disturbed).length;
  const slowed = result.runs.filter((run) => run.speed?.slowed).length;
  const probed = result.runs.some((run) => run.speed);
  const before = result.machine.otherLoadBeforeStart;
  return `Other processes used ${before === undefined ? '?' : before.toFixed(2)} cores just before the start; ` +
    `${noisy} of ${result.runs.length} runs were disturbed (others took more than 5% of the server's or wrk's core` +
    `${probed ? `, or the machine was slower than its best around the run: ${slowed} ${slowed === 1 ? 'run' : 'runs'}, see bench/harness/machine-speed.mjs` : ''}); ` +
    'a disturbed run is measured again (within a budget), and medians leave disturbed runs out ' +
    'when a variant has at least two undisturbed runs (every run, and whether it counted, is in the results file).';
}

/** The tables BENCHMARKS.md shows between its markers. */
export function latestSection(result, chartPath) {
  return [
    `Run of ${result.startedAt.slice(0, 10)} on \`${result.machine.host}\` (library ${result.machine.library}, lib/ at ` +
      `\`${result.machine.libraryCommit}\`${result.machine.uncommittedLibChanges ? ' with uncommitted changes' : ''}` +
      `${result.machine.head ? `, checkout \`${result.machine.head}\`` : ''}): ${machineLine(result)}.`,
    '',
    configLine(result),
    noiseLine(result),
    '',
    `![medians](${chartPath})`,
    '',
    '### Goals (issue 5)',
    '',
    goalsTable(result),
    '',
    '### Medians',
    '',
    mediansTable(result),
    '',
    ...(result.skipped.length ? ['Skipped: ' + result.skipped.map((s) => `\`${s.name}\` (${s.reason})`).join('; ') + '.', ''] : []),
    '### Runner micro-benchmark (goal 6)',
    '',
    microTable(result),
    '',
    '### The fast way in, in-process',
    '',
    requestPathTable(result),
    '',
    '### Heap (goal 7)',
    '',
    heapTable(result),
    '',
    '### CPU profile',
    '',
    profileSection(result),
  ].join('\n');
}

/** The whole results/<date>-<host>.md. */
export function resultsMarkdown(result, chartFile) {
  return [
    `# Benchmark ${result.startedAt} on ${result.machine.host}`,
    '',
    latestSection(result, chartFile),
    '',
    '## Every run',
    '',
    runsTable(result),
    '',
  ].join('\n');
}
