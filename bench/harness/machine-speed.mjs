/**
 * How fast the machine is right now, next to the best seen in this bench: speed-probe.mjs, pinned to the
 * server's core, before and after each measured run. In session 11 every variant's throughput halved
 * over the last half hour of a run, FastAPI's too, while /proc showed no other process and no steal
 * time (BENCHMARKS.md): the host, not the guest, had slowed. A run the probe finds slowed counts as
 * disturbed, like one that shared its core (throughput.mjs).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PROBE = fileURLToPath(new URL('./speed-probe.mjs', import.meta.url));

/**
 * How much slower than the best probe of the bench a probe may be before the run around it counts as
 * slowed. The register-bound loop varies by ~5% from probe to probe on a steady machine; the memory walk
 * is bimodal (15 or 20-24 ms in back-to-back probes), so only a gross change there counts.
 */
export const SLOWED = { cpu: 0.15, memory: 1.0 };

/** One probe on `cpu`: { cpuMs, memoryMs }, or undefined where taskset or the probe fails. */
export async function probeSpeed(cpu) {
  try {
    const { stdout } = await run('taskset', ['-c', String(cpu), process.execPath, PROBE], { timeout: 30_000 });
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

/** Keeps the best (fastest) probe seen, and judges probes against it. */
export class MachineSpeed {
  best = undefined;

  constructor(cpu) {
    this.cpu = cpu;
  }

  /** Probes `times` and keeps the best: the reference before any run. */
  async calibrate(times = 3) {
    for (let i = 0; i < times; i++) this.remember(await probeSpeed(this.cpu));
    return this.best;
  }

  async probe() {
    const probe = await probeSpeed(this.cpu);
    this.remember(probe);
    return probe;
  }

  /**
   * How much slower the worst of `probes` was than the best seen, per part ({ cpu, memory }, 0.2 = 20%
   * slower), and whether that counts as slowed. Undefined without probes.
   */
  judge(probes) {
    const seen = probes.filter(Boolean);
    if (seen.length === 0 || !this.best) return undefined;
    const cpu = Math.max(...seen.map((p) => p.cpuMs)) / this.best.cpuMs - 1;
    const memory = Math.max(...seen.map((p) => p.memoryMs)) / this.best.memoryMs - 1;
    return { cpu, memory, slowed: cpu > SLOWED.cpu || memory > SLOWED.memory };
  }

  remember(probe) {
    if (!probe) return;
    this.best = {
      cpuMs: Math.min(probe.cpuMs, this.best?.cpuMs ?? Infinity),
      memoryMs: Math.min(probe.memoryMs, this.best?.memoryMs ?? Infinity),
    };
  }
}
