/**
 * Starts one variant's server pinned to the server core and stops it again. Nest servers announce
 * themselves on stdout (`READY {...}`); uvicorn is polled until it answers.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_DIR, BUILD_DIR } from './config.mjs';

const STARTUP_TIMEOUT_MS = 20_000;

/** A free port on 127.0.0.1 for servers that cannot report the one they got (uvicorn). */
async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export function nestServerPath() {
  return join(BUILD_DIR, 'servers', 'nest-server.js');
}

export function nestAppPath(app) {
  return join(BUILD_DIR, 'servers', 'apps', `${app}.js`);
}

/**
 * @param variant an entry of VARIANTS
 * @param options { cpu, nodeFlags: string[], python }
 * @returns { url, process, lines(prefix), send(line), waitFor(prefix), stop() }
 */
export async function startServer(variant, { cpu, nodeFlags = [], python }) {
  const { server } = variant;
  let command;
  let args;
  let port;
  if (server.type === 'nest') {
    command = process.execPath;
    args = [...nodeFlags, nestServerPath(), server.app, server.adapter];
  } else if (server.type === 'fastapi') {
    port = await freePort();
    command = python;
    args = ['-m', 'uvicorn', 'fastapi_app:app', '--app-dir', join(BENCH_DIR, 'servers'), '--host', '127.0.0.1',
      '--port', String(port), '--loop', 'uvloop', '--http', 'httptools', '--workers', '1',
      '--no-access-log', '--log-level', 'warning'];
  } else {
    throw new Error(`unknown server type ${server.type}`);
  }

  const child = spawn('taskset', ['-c', cpu, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const output = [];
  const waiters = [];
  let stderr = '';
  let exited = null;
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      output.push(line);
      for (const waiter of [...waiters]) waiter(line);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exited = { code, signal }))));

  /** The JSON payload of the next stdout line starting with `prefix `. */
  function waitFor(prefix, timeoutMs = STARTUP_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      if (exited) {
        reject(new Error(`${variant.name} has exited (${JSON.stringify(exited)})\n${stderr}`));
        return;
      }
      const onLine = (line) => {
        if (line.startsWith(`${prefix} `)) settle(null, JSON.parse(line.slice(prefix.length + 1)));
      };
      const onExit = () => settle(new Error(`${variant.name} exited (${JSON.stringify(exited)}) before "${prefix}"\n${stderr}`));
      const timer = setTimeout(() => settle(new Error(`${variant.name}: no "${prefix}" line within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
      function settle(error, value) {
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(onLine), 1);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve(value);
      }
      waiters.push(onLine);
      child.once('exit', onExit);
    });
  }

  let url;
  if (server.type === 'nest') {
    const ready = await waitFor('READY');
    url = `http://127.0.0.1:${ready.port}/bench`;
  } else {
    url = `http://127.0.0.1:${port}${server.path}`;
    await waitUntilAnswering(url, () => exited, () => stderr);
  }

  return {
    url,
    pid: child.pid,
    send: (line) => child.stdin.write(`${line}\n`),
    waitFor,
    /** SIGTERM, then the last `STATS` line the server printed (tasks added and run), if any. */
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exitPromise;
        clearTimeout(killer);
      }
      const stats = output.filter((line) => line.startsWith('STATS ')).at(-1);
      return { exit: exited, stats: stats ? JSON.parse(stats.slice(6)) : undefined, stderr };
    },
  };
}

async function waitUntilAnswering(url, exited, stderr) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`server for ${url} exited: ${JSON.stringify(exited())}\n${stderr()}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`server for ${url} did not answer within ${STARTUP_TIMEOUT_MS} ms\n${stderr()}`);
}
