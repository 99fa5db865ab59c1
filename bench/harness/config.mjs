/**
 * Every knob of `npm run bench`, read once from the environment. The defaults keep a full run under
 * ~10 minutes on a 2-core machine; raise them for publishable numbers (see BENCHMARKS.md).
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = dirname(BENCH_DIR);
export const BUILD_DIR = join(BENCH_DIR, '.build');
export const TMP_DIR = join(BENCH_DIR, '.tmp');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

function int(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be an integer >= 0, got "${raw}"`);
  return value;
}

function list(name) {
  const raw = process.env[name];
  return raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

function pairingOf(raw) {
  if (raw === 'concurrent' || raw === 'slices' || raw === 'back-to-back') return raw;
  throw new Error(`BENCH_PAIRING must be concurrent, slices or back-to-back, got "${raw}"`);
}

// Before session 13's BENCH_PAIRING, BENCH_SLICE=0 meant back to back: say so rather than slice by 0.
function sliceSecondsOf(seconds) {
  if (seconds >= 1) return seconds;
  throw new Error('BENCH_SLICE must be at least 1 (for one run each, back to back: BENCH_PAIRING=back-to-back)');
}

export function readConfig() {
  return {
    rounds: int('BENCH_ROUNDS', 4),
    // Rounds of the paced (goal 5) variants. A p99 ratio of two processes moves with each one's GC luck
    // (4.1-7 ms per process, BENCHMARKS.md): four rounds read 131.8% and eight 109.8% of the same build.
    // Session 13 traced it: at ~1k req/s p99 is the young-generation pauses (5.2-5.8 ms on average per
    // process, the same GC work with and without the library's task), and one process's p99 read
    // 9.8-15.4 ms across six. Only more fresh processes average that out: 16 rounds, ~11 min more.
    pacedRounds: int('BENCH_PACED_ROUNDS', 16),
    durationSeconds: int('BENCH_DURATION', 5),
    // Paced runs (goal 5) measure p99 at ~1k req/s: 5 s gives only ~50 requests above p99, so one VM
    // hiccup moves it by milliseconds; 15 s triples the sample.
    pacedDurationSeconds: int('BENCH_PACED_DURATION', 15),
    // Load before measuring anything: V8 needs ~10 s to settle when its compiler shares the one core.
    warmupSeconds: int('BENCH_WARMUP', 8),
    // How a goal's saturated sides (`measuredWith` in variants.mjs) share the machine. 'concurrent' loads
    // them at once and judges each by requests per CPU second (harness/throughput.mjs, measureAtOnce);
    // 'slices' takes turns in BENCH_SLICE-second wrk runs; 'back-to-back' gives each one run. Sides run
    // one after the other differed by 20-60 points per round (run 10); the machine's speed moves within a
    // second, which slices cannot share, and their pairs still differ by SD 5-6 points; two bare servers
    // loaded at once, by 0.5 (BENCHMARKS.md, session 13).
    pairing: pairingOf(process.env.BENCH_PAIRING ?? 'concurrent'),
    sliceSeconds: sliceSecondsOf(int('BENCH_SLICE', 1)),
    // Short load right before each measured run of an already warm server (its caches went cold meanwhile).
    rewarmSeconds: int('BENCH_REWARM', 1),
    // A fresh server (and warm-up) for every run: one server per variant reused over all rounds made its
    // rounds repeats of one process, and a process can be a few percent faster or slower than the next
    // start of the same code (JIT decisions, heap and code layout) for its whole life: see BENCHMARKS.md.
    freshServers: process.env.BENCH_FRESH_SERVERS !== '0',
    // Node flags of the measured Nest servers; see harness/throughput.mjs for why the memory reducer is off.
    serverNodeFlags: (process.env.BENCH_NODE_FLAGS ?? '--no-memory-reducer').split(' ').filter(Boolean),
    connections: int('BENCH_CONNECTIONS', 50),
    // Paced load of the goal-5 pair: each connection idles this long between requests. 50 ms with 50
    // connections is about 1k req/s, i.e. ~50 tasks of 50 ms in flight: under the library's default
    // maxConcurrent (64). Faster, the tasks queue behind the limit (see BENCHMARKS.md) and p99 measures that.
    pacedDelayMs: int('BENCH_PACED_DELAY_MS', 50),
    serverCpu: process.env.BENCH_SERVER_CPU ?? '0',
    // Probe the machine's speed around each run (harness/machine-speed.mjs); BENCH_SPEED_PROBE=0 skips it.
    speedProbe: process.env.BENCH_SPEED_PROBE !== '0',
    loadCpu: process.env.BENCH_LOAD_CPU ?? '1',
    // Names of variants to run (default: all available); opt-in groups such as Express.
    only: list('BENCH_VARIANTS'),
    express: process.env.BENCH_EXPRESS === '1',
    // Parts to skip: any of throughput, micro, heap, profile.
    skip: new Set(list('BENCH_SKIP') ?? []),
    // Seconds per micro-benchmark run (a time, not a count: the rate spans 10k/s to millions/s).
    microSeconds: Number(process.env.BENCH_MICRO_SECONDS ?? 1),
    microRepeats: int('BENCH_MICRO_REPEATS', 5),
    // Iterations per run of the in-process request-path micro-benchmark (~0.2 s each here).
    requestPathIterations: int('BENCH_REQUEST_PATH_ITERATIONS', 200_000),
    heapRequests: int('BENCH_HEAP_REQUESTS', 200_000),
    heapVariants: list('BENCH_HEAP_VARIANTS') ?? ['request-scoped-task', 'param-decorator-lean'],
    profileSeconds: int('BENCH_PROFILE_SECONDS', 6),
    // Profiled under load one after another, as subject:reference pairs; the report shows each subject's
    // cost per request next to its reference's (the same app without the library's part).
    profilePairs: (list('BENCH_PROFILE_VARIANTS') ?? ['param-decorator-lean:custom-param-no-library', 'request-scoped-task-lean:request-scoped-no-task'])
      .map((pair) => {
        const [subject, reference] = pair.split(':');
        return { subject, reference };
      }),
    profileIntervalUs: int('BENCH_PROFILE_INTERVAL_US', 250),
    python: process.env.BENCH_PYTHON,
    // Before measuring, wait up to this long for other processes to leave the CPU (shared machines, CI).
    quietWaitSeconds: int('BENCH_QUIET_WAIT', 300),
    // ... and up to this long before each measured run, within a budget for the whole bench; a run
    // disturbed anyway is measured again, up to BENCH_RETRIES times in the whole bench.
    quietWaitPerRunSeconds: int('BENCH_QUIET_WAIT_PER_RUN', 30),
    quietBudgetSeconds: int('BENCH_QUIET_BUDGET', 120),
    retries: int('BENCH_RETRIES', 8),
    updateBenchmarksMd: process.env.BENCH_UPDATE_BENCHMARKS_MD !== '0',
  };
}
