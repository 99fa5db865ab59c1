/**
 * Processes of a bench run: servers pinned to the server core, wrk pinned to the load core, and what
 * /proc says about their CPU time and about other processes on the machine.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const SERVER_CPU = '0';
export const LOAD_CPU = '1';
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;

/** A Python whose FastAPI, uvicorn, uvloop and httptools import (Debian's apt puts them in /usr/bin/python3). */
export function findPython() {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import fastapi, uvicorn, uvloop, httptools; print(fastapi.__version__, uvicorn.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, versions: probe.stdout.trim() };
  }
  return undefined;
}

const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

/** Starts a variant's server on the server core: { url, pid, waitFor, stop }. */
export async function startServer(variant, { python, nodeFlags = [] }) {
  const app = variant.app ?? variant.name;
  let args;
  let url;
  if (app === 'fastapi') {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/bg`;
    args = [python, '-m', 'uvicorn', 'fastapi_app:app', '--app-dir', join(BENCH_DIR, 'servers'), '--host', '127.0.0.1',
      '--port', String(port), '--loop', 'uvloop', '--http', 'httptools', '--workers', '1', '--no-access-log', '--log-level', 'warning'];
  } else {
    args = [process.execPath, ...nodeFlags, join(BENCH_DIR, '..', '.tmp', 'bench-build', 'nest-server.js'), app];
  }
  const child = spawn('taskset', ['-c', SERVER_CPU, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // A runner that dies must not leave servers behind on the cores.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  const lines = [];
  const waiters = new Set();
  let stderr = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters) waiter(line);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = new Promise((resolve) => child.once('close', resolve)).then(() => process.off('exit', reap)); // and its output read

  /** The JSON of the next stdout line `<prefix> {...}`. */
  const waitFor = (prefix, ms = 20_000) => new Promise((resolve, reject) => {
    const done = (error, value) => {
      clearTimeout(timer);
      waiters.delete(onLine);
      error ? reject(error) : resolve(value);
    };
    const onLine = (line) => line.startsWith(`${prefix} `) && done(null, JSON.parse(line.slice(prefix.length + 1)));
    const timer = setTimeout(() => done(new Error(`${variant.name}: no ${prefix} within ${ms} ms\n${stderr}`)), ms);
    waiters.add(onLine);
    exited.then(() => done(new Error(`${variant.name} exited before ${prefix}\n${stderr}`)));
  });

  if (url) await untilAnswering(url, 20_000);
  else url = `http://127.0.0.1:${(await waitFor('READY')).port}/bench`;
  return {
    url,
    pid: child.pid,
    waitFor,
    /** SIGTERM (the app drains its tasks), then the last STATS line: { added, ran }. */
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
      const stats = lines.filter((line) => line.startsWith('STATS ')).at(-1);
      return stats ? JSON.parse(stats.slice(6)) : undefined;
    },
  };
}

async function untilAnswering(url, ms) {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(100)) {
    if (await fetch(url).then((response) => response.ok, () => false)) return; // else: not listening yet
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

/** Runs `taskset <args>` to its end: the JSON of its stdout line `<prefix> {...}`. */
export function runForJson(args, prefix, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.once('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(`${prefix} `));
      if (code !== 0 || !line) reject(new Error(`${args.join(' ')} failed (exit ${code})\n${out}`));
      else resolve(JSON.parse(line.slice(prefix.length + 1)));
    });
  });
}

/**
 * One wrk run on the load core (one thread, 50 connections): the JSON line of wrk/report.lua, with `rps`.
 * `pacedMs`: each connection waits that long between requests (latency at a rate the server handles).
 */
export async function runWrk(url, seconds, pacedMs) {
  const args = [LOAD_CPU, 'wrk', '-t1', '-c50', `-d${seconds}s`, '--timeout', '10s', '-s', join(BENCH_DIR, 'wrk', 'report.lua'), url];
  const result = await runForJson(['-c', ...args], 'WRK_JSON', { ...process.env, WRK_DELAY_MS: String(pacedMs || 0) });
  if (result.errors.status || result.errors.timeout) throw new Error(`${url}: ${JSON.stringify(result.errors)}`);
  return { ...result, rps: result.requests / (result.duration_us / 1e6) };
}

/**
 * CPU seconds a process has used, all threads: their run time in ns from /proc/<pid>/task/<tid>/schedstat
 * (a one-second turn would read 1% off in the 10 ms ticks of /proc/<pid>/stat, which is the fallback).
 */
export function cpuSeconds(pid) {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    if (ns > 0) return ns / 1e9;
  } catch {
    // no schedstat (a kernel without CONFIG_SCHEDSTATS): the ticks below
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Cores' worth of CPU the machine used over `ms` (while the bench itself idles: other processes). */
async function busyCores(ms = 500) {
  const read = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1, 9).map(Number);
  const before = read();
  await sleep(ms);
  const delta = read().map((value, i) => value - before[i]);
  const busy = delta.reduce((sum, value) => sum + value, 0) - delta[3] - delta[4]; // all but idle and iowait
  return busy / ((TICKS_PER_SECOND * ms) / 1000);
}

/**
 * Waits up to `seconds` for other processes (a test suite, another agent) to leave the cores; returns
 * what they used at the end, recorded with each run since it makes every number low and noisy.
 */
export async function waitForQuiet(seconds, log) {
  const deadline = Date.now() + seconds * 1000;
  let load = await busyCores();
  if (load > 0.15 && seconds > 0) log(`  others use ${load.toFixed(2)} cores; waiting up to ${Math.round(seconds)} s`);
  while (load > 0.15 && Date.now() < deadline) {
    await sleep(2000);
    load = await busyCores();
  }
  return Number(load.toFixed(2));
}
