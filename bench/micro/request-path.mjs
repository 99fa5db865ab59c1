/**
 * The library's own CPU per request on its fastest way in (`@Tasks()` under `globalInterceptor: false`),
 * without HTTP: wrk runs are too noisy on a shared VM to see a tenth of a microsecond, this is not.
 * Each iteration builds a real Node request and response (no socket), runs the `@Tasks()` parameter as
 * Nest would, adds one no-op task and ends the response, whose task then runs at the end of the turn
 * (every `REQUESTS_PER_TURN` iterations the loop yields to the event loop). The same loop without the
 * library (the task goes to `setImmediate`, as in the `fire-and-forget` variant) is the reference; the
 * difference is the library's cost. Prints one `REQUEST_PATH {...}` JSON line.
 * Usage: node request-path.mjs [iterations per run] [runs]   (run it under `taskset -c 0`;
 * `REQUEST_PATH_EVICT_KB=1024` for cold caches, see `evictCaches`)
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Tasks } from 'nestjs-background-tasks';
import { TaskRunner } from '../../dist/runner/task-runner.js';
import { median } from '../harness/stats.mjs';

const ITERATIONS = Number(process.argv[2] ?? 200_000);
const RUNS = Number(process.argv[3] ?? 7);

let ran = 0;
function noopTask() {
  ran++;
}

// The parameter's factory, as Nest's router calls it: read from the metadata @Tasks() leaves.
class BenchController {
  get() {}
}
Tasks()(BenchController.prototype, 'get', 0);
const [{ factory, data }] = Object.values(Reflect.getMetadata(ROUTE_ARGS_METADATA, BenchController, 'get'));

// As the bench servers run: `NestFactory.create(..., { logger: ['error', 'warn'] })`.
Logger.overrideLogger(['error', 'warn']);
const server = {}; // the Fastify instance, `request.server`
const runner = new TaskRunner({ globalInterceptor: false }, { httpAdapter: { getInstance: () => server } });
runner.onModuleInit(); // registers it as the server's runner, as in an app
const pluginContext = Object.create(server); // what a Fastify route's `request.server` is
const socket = new Socket();

/** One request as Fastify hands it to Nest: its request and reply wrap Node's. */
function request() {
  const req = new IncomingMessage(socket);
  const res = new ServerResponse(req);
  res.assignSocket(socket); // as Node's server does before the handler runs
  return { req, res, fastifyRequest: { raw: req, server: pluginContext }, reply: { raw: res } };
}

/** What Node does when the response has been handed to the socket. */
function finish(res) {
  res.detachSocket(socket);
  res.finished = true;
  res.emit('close');
}

const shapes = {
  // Nest builds the context for any custom parameter (`custom-param-no-library`), so both shapes do.
  'no-library': () => {
    const { res, fastifyRequest, reply } = request();
    const context = new ExecutionContextHost([fastifyRequest, reply, undefined], BenchController, BenchController.prototype.get);
    context.setType('http');
    if (context.getArgByIndex(0) !== undefined) setImmediate(noopTask);
    finish(res);
  },
  'tasks-parameter-lean': () => {
    const { res, fastifyRequest, reply } = request();
    const context = new ExecutionContextHost([fastifyRequest, reply, undefined], BenchController, BenchController.prototype.get);
    context.setType('http');
    factory(data, context).addTask(noopTask);
    finish(res);
  },
};

/**
 * `REQUEST_PATH_EVICT_KB=1024`: walk that much memory before each iteration, outside the clock, so that
 * every request finds its code and data gone from the core's caches, as in a server whose other work
 * (parser, framework, sockets) runs between two requests. Measured 2026-12-01: the library's cost went
 * from ~0.6 us warm to ~1.3-3.5 us cold, the range of the server profile's ~5 us; it moves a lot with
 * the host's load, so compare builds in alternating runs only.
 */
const evictKb = Number(process.env.REQUEST_PATH_EVICT_KB ?? 0);
const evictBuffer = new Int32Array((evictKb * 1024) / 4);
let evictSink = 0;
function evictCaches() {
  let sum = 0;
  for (let i = 0; i < evictBuffer.length; i += 16) sum += evictBuffer[i]++;
  evictSink += sum;
}

/**
 * Requests per turn of the event loop: a saturated server with wrk's 50 connections reads about that many
 * before its immediates run. The library starts the tasks of a turn's responses together at its end
 * (`DeferredReleases`), and `fire-and-forget` runs its immediates there too, so both shapes yield here.
 */
const REQUESTS_PER_TURN = 50;

/** ns per iteration over one run, the turns' immediates (the tasks) included. */
async function measure(iteration, count) {
  ran = 0;
  let spent = 0n;
  for (let i = 0; i < count; ) {
    const turnEnd = Math.min(count, i + REQUESTS_PER_TURN);
    if (evictKb > 0) {
      for (; i < turnEnd; i++) {
        evictCaches();
        const start = process.hrtime.bigint();
        iteration();
        spent += process.hrtime.bigint() - start;
      }
    } else {
      const start = process.hrtime.bigint();
      for (; i < turnEnd; i++) iteration();
      spent += process.hrtime.bigint() - start;
    }
    const start = process.hrtime.bigint();
    await new Promise((resolve) => setImmediate(resolve));
    spent += process.hrtime.bigint() - start;
  }
  const start = process.hrtime.bigint();
  while (ran < count) await new Promise((resolve) => setImmediate(resolve));
  return Number(process.hrtime.bigint() - start + spent) / count;
}

const results = {};
for (const [shape, iteration] of Object.entries(shapes)) results[shape] = [];
await measure(shapes['tasks-parameter-lean'], ITERATIONS); // warm-up
await measure(shapes['no-library'], ITERATIONS);
for (let r = 0; r < RUNS; r++) {
  // Alternated, so that drift of the machine hits both shapes alike.
  for (const [shape, iteration] of Object.entries(shapes)) results[shape].push(await measure(iteration, ITERATIONS));
}
const summary = Object.fromEntries(Object.entries(results).map(([shape, runs]) => [shape, { medianNs: median(runs), runs }]));
const libraryNs = median(results['tasks-parameter-lean'].map((ns, i) => ns - results['no-library'][i]));
runner.close();
console.log(`REQUEST_PATH ${JSON.stringify({ iterations: ITERATIONS, runs: RUNS, evictKb, libraryNsPerRequest: libraryNs, shapes: summary })}`);
