#!/usr/bin/env node
/**
 * `npm run bench:threads`: what thread tasks buy and cost (a benchmark, not a timed test). Needs
 * `npm run build` first. The app (bench/servers/threads-server.ts) runs in its own process; this one is
 * the client.
 *
 * 1. p99 latency of a plain route (GET /plain, 4 connections back to back) while another route's task
 *    burns 50 ms of CPU per request (10 requests/s: half a core): none, on the event loop, in a thread.
 * 2. No-op thread tasks per second through the pool (added by one request, first added to last ended).
 *
 *   --seconds N   seconds of each latency run (default 10)
 */
import { execFileSync, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { seconds: { type: 'string' } } });
const SECONDS = Number(args.seconds ?? 10);
const BURNS_PER_SECOND = 10;
const CONNECTIONS = 4;
const NOOP_TASKS = 20_000;

function startServer() {
  const child = spawn(process.execPath, [join(ROOT, '.tmp', 'bench-build', 'threads-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const ready = /READY (\{.*\})/.exec(out);
      if (ready) resolve({ child, port: JSON.parse(ready[1]).port });
    });
  });
}

function stop(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function call(port, method, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => (res.statusCode < 300 ? resolve(body) : reject(new Error(`${method} ${path}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/** Latencies of GET /plain while POST /burn/<where> arrives BURNS_PER_SECOND times a second. */
async function latency(where) {
  const { child, port } = await startServer();
  for (let i = 0; i < 500; i++) await call(port, 'GET', '/plain'); // warm-up: JIT, sockets
  if (where) for (let i = 0; i < 5; i++) await call(port, 'POST', `/burn/${where}`); // and the thread
  const until = performance.now() + SECONDS * 1000;
  const burns = [];
  const burner = where
    ? setInterval(() => burns.push(call(port, 'POST', `/burn/${where}`)), 1000 / BURNS_PER_SECOND)
    : undefined;
  const times = [];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const start = performance.now();
        await call(port, 'GET', '/plain');
        times.push(performance.now() - start);
      }
    }),
  );
  clearInterval(burner);
  await Promise.all(burns);
  await stop(child);
  times.sort((a, b) => a - b);
  const ms = (x) => x.toFixed(2);
  return { where: where ?? 'none', requests: times.length, p50: ms(percentile(times, 50)), p99: ms(percentile(times, 99)), max: ms(times.at(-1)) };
}

async function noopThroughput() {
  const { child, port } = await startServer();
  await call(port, 'POST', '/noop/1000'); // warm-up: the threads start and load the module
  await call(port, 'GET', '/noop');
  const runs = [];
  for (let i = 0; i < 3; i++) {
    await call(port, 'POST', `/noop/${NOOP_TASKS}`);
    const { tasks, ms } = JSON.parse(await call(port, 'GET', '/noop'));
    runs.push(Math.round(tasks / (ms / 1000)));
  }
  await stop(child);
  return runs;
}

execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(ROOT, 'bench', 'tsconfig.json')], { stdio: 'inherit' });
console.log(`# bench/threads.mjs: ${new Date().toISOString()}, Node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}`);
console.log(`\n## GET /plain (${CONNECTIONS} connections, ${SECONDS} s) while a task burns 50 ms per POST /burn (${BURNS_PER_SECOND}/s)\n`);
console.log('| burning task | requests | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|');
for (const where of [undefined, 'loop', 'thread']) {
  const r = await latency(where);
  console.log(`| ${r.where === 'none' ? 'none' : r.where === 'loop' ? 'on the event loop' : 'in a worker thread'} | ${r.requests} | ${r.p50} | ${r.p99} | ${r.max} |`);
}
const runs = await noopThroughput();
console.log(`\n## No-op thread tasks per second (${NOOP_TASKS} added by one request, 3 runs)\n\n${runs.map((n) => n.toLocaleString('en-US')).join(', ')} tasks/s`);
agent.destroy();
