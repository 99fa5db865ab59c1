/**
 * The library's own CPU per request on its fastest way in (`@Tasks()` under `globalInterceptor: false`),
 * without HTTP: a wrk run on a shared VM cannot see a tenth of a microsecond, this can. Each iteration
 * builds a real Node request and response (no socket), runs the `@Tasks()` parameter's factory as Nest's
 * router does, adds one no-op task and finishes the response, whose task then runs at the end of the
 * turn. The same loop with `setImmediate(task)` instead is the reference; the difference is the library.
 * Outside HTTP the module's runner is the process's only one, which is where `@Tasks()` finds it.
 * Usage: node bench/micro/request-path.mjs [--dist <dir>] [--runs n] [--seconds s] (pinned: taskset -c 0)
 */
import { alternate, median, turn } from './common.mjs';
import { finishResponse, tasksParameterRoute } from './fake-http.mjs';

let ran = 0;
function noopTask() {
  ran++;
}

const { app, request, tasksOf } = await tasksParameterRoute();
const finish = finishResponse;

const shapes = {
  'set-immediate': () => {
    const { res, context } = request();
    if (context.getArgByIndex(0) !== undefined) setImmediate(noopTask);
    finish(res);
  },
  'tasks-param': () => {
    const { res, context } = request();
    tasksOf(context).addTask(noopTask);
    finish(res);
  },
};

// A saturated server with 50 connections reads about this many requests per turn of the event loop.
const PER_TURN = 50;

/** ns per request over about `seconds`, the tasks (run at the turns' ends) included. */
async function measure(iteration, seconds) {
  ran = 0;
  let count = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < PER_TURN; i++) iteration();
    count += PER_TURN;
    await turn();
  }
  while (ran < count) await turn();
  return Number(process.hrtime.bigint() - start) / count;
}

// The library's own CPU per request: the median of the per-run differences (runs alternate).
await alternate(shapes, measure, (result, runs) => {
  const library = runs['tasks-param'].map((ns, i) => ns - runs['set-immediate'][i]);
  return { ...result, shapes: { ...result.shapes, 'library-own': { median: median(library), runs: library } } };
});
await app.close();
