/** Runs wrk pinned to the load core and returns the JSON line `wrk/report.lua` prints. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR } from './config.mjs';

const REPORT_SCRIPT = join(BENCH_DIR, 'wrk', 'report.lua');

/**
 * @param url         the route to load
 * @param options     { cpu, connections, durationSeconds, delayMs, stopAfter }
 * @returns           { requests, duration_us, rps, errors, latency_us, non2xx, wrkTicks }
 */
export function runWrk(url, { cpu, connections, durationSeconds, delayMs, stopAfter }) {
  const env = { ...process.env };
  if (delayMs) env.WRK_DELAY_MS = String(delayMs);
  if (stopAfter) env.WRK_STOP_AFTER = String(stopAfter);
  const wrkArgs = ['-t1', `-c${connections}`, `-d${durationSeconds}s`, '--timeout', '10s', '-s', REPORT_SCRIPT, url];
  // Through a shell that, once wrk has been waited for, prints the CPU ticks its children used (cutime and
  // cstime of /proc/<shell>/stat): how much of the load core was wrk's, so the rest can be blamed on others.
  const script = 'taskset -c "$0" wrk "$@"; code=$?; echo "WRK_TICKS $(cut -d" " -f16,17 /proc/$$/stat)"; exit $code';
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script, cpu, ...wrkArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
      if (code !== 0 || !line) {
        reject(new Error(`wrk failed (exit ${code}) on ${url}\n${stdout}\n${stderr}`));
        return;
      }
      const result = JSON.parse(line.slice('WRK_JSON '.length));
      result.rps = result.requests / (result.duration_us / 1e6);
      result.non2xx = result.errors.status;
      const ticks = /^WRK_TICKS (\d+) (\d+)$/m.exec(stdout);
      result.wrkTicks = ticks ? Number(ticks[1]) + Number(ticks[2]) : undefined;
      resolve(result);
    });
  });
}
