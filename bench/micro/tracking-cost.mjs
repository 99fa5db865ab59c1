/**
 * What status tracking (`BackgroundTasksTracker`'s store, on by default) costs on the card path: the same
 * loop as request-path.mjs (a request adds one no-op task through `@Tasks()` and finishes its response;
 * the task runs at the end of the turn), with the store attached and with it detached from the runner.
 * Shapes alternate; `tracking-own` is the median of the per-run differences, in ns per request. The
 * handle and its id are made either way: `setImmediate` is the reference for the whole library's cost.
 *   set-immediate     no library: setImmediate(task)
 *   tracked           the default: one status row per task, kept after its end (bounded, 1 h TTL)
 *   untracked         the runner without its tracking plug-in (not an option users have)
 * Usage: node bench/micro/tracking-cost.mjs [--dist <dir>] [--runs n] [--seconds s] (pinned: taskset -c 0)
 */
import { alternate, library, median, turn } from './common.mjs';
import { finishResponse, tasksParameterRoute } from './fake-http.mjs';

const { BackgroundTasksTracker } = library;

let ran = 0;
function noopTask() {
  ran++;
}

const { app, request, tasksOf } = await tasksParameterRoute();
// Internals, for the comparison only: the tracker's runner and the store it attached to it.
const runner = app.get(BackgroundTasksTracker).runner;
const store = runner.tracking;
if (store === undefined) throw new Error('this build has no tracking store attached to its runner');

const finish = finishResponse;

function viaLibrary() {
  const { res, context } = request();
  tasksOf(context).addTask(noopTask);
  finish(res);
}

const shapes = {
  'set-immediate': {
    tracked: true,
    run: () => {
      const { res, context } = request();
      if (context.getArgByIndex(0) !== undefined) setImmediate(noopTask);
      finish(res);
    },
  },
  tracked: { tracked: true, run: viaLibrary },
  untracked: { tracked: false, run: viaLibrary },
};

const PER_TURN = 50;

async function measure(shape, seconds) {
  runner.tracking = shape.tracked ? store : undefined;
  ran = 0;
  let count = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < PER_TURN; i++) shape.run();
    count += PER_TURN;
    await turn();
  }
  while (ran < count) await turn();
  return Number(process.hrtime.bigint() - start) / count;
}

await alternate(shapes, measure, (result, runs) => {
  const own = runs.tracked.map((ns, i) => ns - runs.untracked[i]);
  return { ...result, shapes: { ...result.shapes, 'tracking-own': { median: median(own), runs: own } } };
});
runner.tracking = store;
await app.close();
