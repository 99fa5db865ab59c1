/**
 * What `npm run bench` measures: two tables. Adding a variant is one row below (plus, for a new app, one
 * entry in servers/apps.ts); adding a goal is one row of GOALS.
 *
 * VARIANTS: `app` is a key of APPS in servers/apps.ts (default: the name), or `fastapi` for the peer.
 * `set`: the variants of one set are started together and loaded one at a time in short turns, each
 * alone on the server core, and each is judged by requests per second of the CPU it used: measured
 * within the same seconds, every side of a goal sees nearly the same machine speed, which moves by tens
 * of percent from one second to the next on these VMs.
 * `paced`: measured alone at a fixed rate well below saturation (latency, not throughput), the variants
 * of its set one right after the other.
 * `heap`: also run through the heap check.
 */
export const VARIANTS = [
  { name: 'bare', set: 'untouched', kind: 'reference', label: 'Nest + Fastify, one JSON route, no library' },
  { name: 'module-untouched', set: 'untouched', kind: 'library', label: 'BackgroundTasksModule.forRoot() (defaults: global interceptor), route never touches tasks' },
  { name: 'module-untouched-singleton', set: 'untouched', kind: 'library', label: 'forRoot({ requestScoped: false }), route never touches tasks' },
  { name: 'module-untouched-lean', set: 'untouched', kind: 'library', label: 'forRoot({ globalInterceptor: false }), route never touches tasks' },
  { name: 'set-immediate', set: 'one-task', kind: 'reference', label: 'no library: setImmediate(task) per request' },
  { name: 'tasks-param', set: 'one-task', kind: 'library', heap: true, label: '@Tasks() parameter + forRoot({ globalInterceptor: false }), one no-op task' },
  { name: 'card-singleton', set: 'one-task', kind: 'library', heap: true, label: 'forRoot({ requestScoped: false }): controller and service inject BackgroundTasks, one no-op task' },
  { name: 'card-singleton-lean', set: 'one-task', kind: 'library', label: 'card-singleton with globalInterceptor: false' },
  { name: 'fastapi-bg', app: 'fastapi', set: 'one-task', kind: 'peer', label: 'FastAPI async route + BackgroundTasks.add_task(async no-op), uvicorn + uvloop + httptools, 1 worker' },
  { name: 'request-scoped-no-task', set: 'scoped', kind: 'reference', label: 'no library: controller injects a request-scoped provider' },
  { name: 'card', set: 'scoped', kind: 'library', heap: true, label: 'controller injects BackgroundTasks (request-scoped), forRoot() defaults, one no-op task' },
  { name: 'card-lean', set: 'scoped', kind: 'library', label: 'card with forRoot({ globalInterceptor: false })' },
  { name: 'paced-no-task', app: 'card-no-task', set: 'paced', paced: true, kind: 'reference', label: 'controller injects BackgroundTasks, adds nothing; paced load' },
  { name: 'paced-task-50ms', app: 'card-50ms', set: 'paced', paced: true, kind: 'library', label: 'controller injects BackgroundTasks, adds a task that sleeps 50 ms; paced load' },
];

/**
 * GOALS. `rps: [a, b]`: a's throughput over b's, the median of per-round ratios of the two
 * measured together; `p99: [a, b]`: the same for p99 latency under paced load; `value`: a number of the
 * results (micro-benchmark, heap check). Each has `atLeast` or `atMost`.
 */
export const GOALS = [
  { title: 'untouched routes, forRoot() defaults, vs bare', rps: ['module-untouched', 'bare'], atLeast: 0.98 },
  { title: 'untouched routes, globalInterceptor: false, vs bare', rps: ['module-untouched-lean', 'bare'], atLeast: 0.98 },
  { title: '@Tasks() + one task vs setImmediate', rps: ['tasks-param', 'set-immediate'], atLeast: 0.9 },
  { title: 'card (defaults) vs request-scoped controller without tasks', rps: ['card', 'request-scoped-no-task'], atLeast: 0.95 },
  { title: 'card, globalInterceptor: false, vs the same', rps: ['card-lean', 'request-scoped-no-task'], atLeast: 0.95 },
  { title: 'card, requestScoped: false, vs setImmediate', rps: ['card-singleton', 'set-immediate'], atLeast: 0.9 },
  { title: 'card, requestScoped: false, vs FastAPI /bg', rps: ['card-singleton', 'fastapi-bg'], atLeast: 1.5 },
  { title: 'untouched routes, requestScoped: false, vs bare', rps: ['module-untouched-singleton', 'bare'], atLeast: 0.98 },
  { title: '@Tasks() + one task vs FastAPI /bg', rps: ['tasks-param', 'fastapi-bg'], atLeast: 1.5 },
  { title: 'p99 with a 50 ms task vs without (paced load)', p99: ['paced-task-50ms', 'paced-no-task'], atMost: 1.1 },
  { title: 'runner: no-op tasks/s, slowest public shape', value: (r) => r.micro?.runner?.slowest, unit: '/s', atLeast: 200_000 },
  { title: 'heap growth after the heap check\'s requests', value: (r) => r.heap?.worstGrowthMb, unit: ' MB', atMost: 5 },
];
