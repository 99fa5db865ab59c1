/**
 * The variants `npm run bench` alternates over. Adding one = one entry here plus, for a Nest variant, one
 * small file `bench/servers/apps/<app>.ts` exporting `AppModule` with a `GET /bench` route (copy
 * `request-scoped-task.ts`). An entry whose app file does not exist yet is skipped with a printed reason,
 * so planned variants can sit here before the library supports them.
 *
 * Fields:
 *   name         unique, used in results and goals
 *   label        one line for the report: what the variant is
 *   group        colour in the chart: baseline | library | peer | express | planned
 *   server       { type: 'nest', app, adapter } or { type: 'fastapi', path }
 *   load         'saturate' (wrk -c<N>, as fast as it can: throughput) or 'paced' (latency at a fixed,
 *                unsaturated rate, goal 5)
 *   libraryWay   a way this library offers to add one task: the fastest of these is judged by goals 1 and 4
 *   addsTasks    every request adds one task: the harness checks that as many ran as were added
 *   measuredWith the variant a goal compares this one to: each round measures them together, loaded at
 *                once (see groupsOfRound and measureAtOnce in harness/throughput.mjs), since the
 *                machine's speed moves within a second
 *   optIn        environment flag that enables the variant (slow or situational ones)
 *   requires     () => reason string when the variant cannot run here, undefined when it can
 */

const nest = (app, adapter = 'fastify') => ({ type: 'nest', app, adapter });

export const VARIANTS = [
  // --- References: no library ---------------------------------------------------------------------
  { name: 'bare', label: 'Nest + Fastify, one JSON route, no library module', group: 'baseline',
    server: nest('bare'), load: 'saturate' },
  { name: 'fire-and-forget', label: 'bare + setImmediate(noopTask) per request (what users do without a library)',
    group: 'baseline', server: nest('fire-and-forget'), load: 'saturate', addsTasks: true },
  { name: 'noop-global-interceptor', label: 'bare + a global interceptor of our own that only returns next.handle() (what any APP_INTERCEPTOR costs)',
    group: 'baseline', server: nest('noop-global-interceptor'), load: 'saturate' },
  { name: 'custom-param-no-library', label: 'fire-and-forget with a trivial createParamDecorator() parameter: Nest\'s parameter pipeline alone',
    group: 'baseline', server: nest('custom-param-no-library'), load: 'saturate', addsTasks: true },
  { name: 'request-scoped-no-task', label: 'controller injects a trivial request-scoped provider (injects REQUEST), no library',
    group: 'baseline', server: nest('request-scoped-no-task'), load: 'saturate' },

  { name: 'request-scoped-factory-no-task', label: 'request-scoped-no-task with a factory provider injecting REQUEST and a singleton (the shape of the library\'s provider), no library',
    group: 'baseline', server: nest('request-scoped-factory-no-task'), load: 'saturate', optIn: 'BENCH_DI_SHAPES' },

  // Goals 1 and 2 split into their steps (BENCHMARKS.md, finding 10): which part of a library way costs.
  { name: 'param-decorator-lean-no-task', label: '@Tasks() taken (lean), the task sent to setImmediate instead of addTask: the factory alone',
    group: 'baseline', server: nest('param-decorator-lean-no-task'), load: 'saturate', addsTasks: true, optIn: 'BENCH_SPLITS' },
  { name: 'request-scoped-injected-lean-no-task', label: 'forRoot({ globalInterceptor: false }), controller injects BackgroundTasks, adds no task',
    group: 'baseline', server: nest('request-scoped-injected-lean-no-task'), load: 'saturate', optIn: 'BENCH_SPLITS' },
  { name: 'request-scoped-no-task-immediate', label: 'request-scoped-no-task + setImmediate(noopTask) per request, no library',
    group: 'baseline', server: nest('request-scoped-no-task-immediate'), load: 'saturate', addsTasks: true, optIn: 'BENCH_SPLITS' },

  // Where work costs a saturated server the most: the same ~3 us before the write or after the turn's I/O
  // (BENCHMARKS.md, finding 8; why the library releases tasks at the end of the turn).
  { name: 'work-before-write', label: 'fire-and-forget + ~3 us of CPU in the handler, before the response is written',
    group: 'baseline', server: nest('work-before-write'), load: 'saturate', addsTasks: true, optIn: 'BENCH_WORK_PLACEMENT' },
  { name: 'work-after-write', label: 'fire-and-forget + the same ~3 us of CPU in the setImmediate task, after the turn\'s writes',
    group: 'baseline', server: nest('work-after-write'), load: 'saturate', addsTasks: true, optIn: 'BENCH_WORK_PLACEMENT' },

  // --- This library ---------------------------------------------------------------------------------
  { name: 'module-untouched', label: 'BackgroundTasksModule.forRoot() imported, route never touches tasks',
    group: 'library', server: nest('module-untouched'), load: 'saturate' },
  { name: 'tasks-injected-no-task', label: 'controller injects BackgroundTasks (request-scoped), adds no task',
    group: 'library', server: nest('tasks-injected-no-task'), load: 'saturate' },
  { name: 'request-scoped-task', label: 'controller injects BackgroundTasks (request-scoped), addTask(noopTask) per request',
    group: 'library', server: nest('request-scoped-task'), load: 'saturate', libraryWay: true, addsTasks: true },

  // --- The fast way in, and durable mode -------------------------------------------------------------
  // (A singleton BackgroundTasks backed by AsyncLocalStorage was considered and not built: docs/DESIGN.md.)
  { name: 'param-decorator', label: '@Tasks() parameter: the request\'s BackgroundTasks, controller stays a singleton; addTask per request',
    group: 'library', server: nest('param-decorator'), load: 'saturate', libraryWay: true, addsTasks: true },
  // `globalInterceptor: false`: no interceptor on any route; the way in arms the batch (docs/DESIGN.md).
  { name: 'module-untouched-lean', label: 'forRoot({ globalInterceptor: false }), route never touches tasks',
    group: 'library', server: nest('module-untouched-lean'), load: 'saturate', measuredWith: 'bare' },
  { name: 'request-scoped-task-lean', label: 'forRoot({ globalInterceptor: false }), controller injects BackgroundTasks, addTask per request',
    group: 'library', server: nest('request-scoped-task-lean'), load: 'saturate', measuredWith: 'request-scoped-no-task', libraryWay: true, addsTasks: true },
  { name: 'param-decorator-lean', label: 'forRoot({ globalInterceptor: false }), @Tasks() parameter, addTask per request',
    group: 'library', server: nest('param-decorator-lean'), load: 'saturate', measuredWith: 'fire-and-forget', libraryWay: true, addsTasks: true },
  { name: 'bullmq-enqueue', label: 'durable task: @BackgroundTask handler enqueued to BullMQ per request (one addBulk each; needs REDIS_URL)',
    group: 'library', server: nest('bullmq-enqueue'), load: 'saturate', addsTasks: false,
    requires: () => (process.env.REDIS_URL ? undefined : 'REDIS_URL is not set (BullMQ needs a Redis)') },

  // --- Goal 5: latency with a slow task, at a paced (unsaturated) rate --------------------------------
  { name: 'paced-no-task', label: 'tasks-injected-no-task under paced load (goal 5 reference)',
    group: 'library', server: nest('tasks-injected-no-task'), load: 'paced' },
  { name: 'paced-task-50ms', label: 'BackgroundTasks.addTask(50 ms sleep) per request, paced load',
    group: 'library', server: nest('task-50ms'), load: 'paced', measuredWith: 'paced-no-task', addsTasks: true },
  // The same 50 ms task without the library: what any such task costs the route's p99 here.
  { name: 'paced-task-50ms-no-library', label: 'paced-no-task + setImmediate(50 ms sleep) per request: the task without the library',
    group: 'baseline', server: nest('task-50ms-no-library'), load: 'paced', measuredWith: 'paced-no-task', addsTasks: true },

  // --- Peer: FastAPI on uvicorn (uvloop + httptools, one worker) ----------------------------------------
  { name: 'fastapi-plain', label: 'FastAPI async route, uvicorn + uvloop + httptools, 1 worker',
    group: 'peer', server: { type: 'fastapi', path: '/plain' }, load: 'saturate' },
  { name: 'fastapi-bg', label: 'FastAPI async route + BackgroundTasks.add_task(async no-op)',
    group: 'peer', server: { type: 'fastapi', path: '/bg' }, load: 'saturate', measuredWith: 'fire-and-forget', addsTasks: true },
  { name: 'fastapi-bg-sync-task', label: 'FastAPI async route + add_task(plain def no-op): the task runs in a thread pool, as in FastAPI\'s docs',
    // Opt-in: its thread-pool backlog keeps the server core busy for ~8 s after each run, which the next
    // run waits out; its number (~5.5k req/s here) does not move.
    group: 'peer', server: { type: 'fastapi', path: '/bg-sync' }, load: 'saturate', addsTasks: true, optIn: 'BENCH_FASTAPI_SYNC' },

  // --- Express adapter (opt-in: BENCH_EXPRESS=1). Express tops out low on this machine -------------------
  { name: 'express-bare', label: 'Express adapter: bare', group: 'express',
    server: nest('bare', 'express'), load: 'saturate', optIn: 'BENCH_EXPRESS' },
  { name: 'express-request-scoped-no-task', label: 'Express adapter: request-scoped-no-task', group: 'express',
    server: nest('request-scoped-no-task', 'express'), load: 'saturate', optIn: 'BENCH_EXPRESS' },
  { name: 'express-request-scoped-task', label: 'Express adapter: request-scoped-task', group: 'express',
    server: nest('request-scoped-task', 'express'), load: 'saturate', optIn: 'BENCH_EXPRESS', addsTasks: true },
];
