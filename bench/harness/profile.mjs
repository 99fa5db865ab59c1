/**
 * Runs variants under `node --cpu-prof` with load and summarizes each profile over the load window only
 * (the server reports its monotonic clock before and after the load; V8 stamps samples with the same one).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TMP_DIR } from './config.mjs';
import { summarizeProfile } from './profile-summary.mjs';
import { startServer } from './server.mjs';
import { runWrk } from './wrk.mjs';

export async function profileVariant(variant, config, log) {
  const dir = join(TMP_DIR, 'profiles', variant.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const server = await startServer(variant, {
    cpu: config.serverCpu,
    nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', String(config.profileIntervalUs)],
  });
  let load;
  let window;
  try {
    // A paced variant is profiled under the paced load it is judged under (goal 5), not saturated.
    const delayMs = variant.load === 'paced' ? config.pacedDelayMs : undefined;
    const wrkOptions = { cpu: config.loadCpu, connections: config.connections, delayMs };
    await runWrk(server.url, { ...wrkOptions, durationSeconds: Math.min(5, Math.max(1, config.warmupSeconds)) });
    server.send('mark');
    const from = await server.waitFor('MARK');
    load = await runWrk(server.url, { ...wrkOptions, durationSeconds: config.profileSeconds });
    server.send('mark');
    const to = await server.waitFor('MARK');
    window = { fromUs: from.us, toUs: to.us };
  } finally {
    await server.stop();
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written for ${variant.name} in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const inside = window.fromUs >= profile.startTime && window.toUs <= profile.endTime;
  const summary = summarizeProfile(profile, inside ? window : undefined, load.requests);
  summary.variant = variant.name;
  summary.rpsUnderProfiler = load.rps;
  summary.file = join(dir, file);
  summary.windowed = inside;
  log(`profile ${variant.name}: ${load.rps.toFixed(0)} req/s under the profiler, ` +
    `${summary.busyUsPerRequest.toFixed(1)} us CPU per request${inside ? '' : ' (whole profile: clocks did not line up)'}`);
  return summary;
}
