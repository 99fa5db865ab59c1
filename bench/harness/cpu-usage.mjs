/**
 * Who else used the CPU while we measured. This bench often shares a machine (other test suites, CI
 * neighbours); a run during which something else ran on the server's core is slower for reasons that are
 * not the variant's. Read from /proc (Linux); where it is missing every figure is undefined.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function readCores() {
  try {
    const cores = {};
    for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
      const match = /^cpu(\d+) (.*)$/.exec(line);
      if (!match) continue;
      const [user, nice, system, idle, iowait, irq, softirq, steal] = match[2].trim().split(/\s+/).map(Number);
      cores[match[1]] = {
        busy: user + nice + system + irq + softirq + steal,
        all: user + nice + system + idle + iowait + irq + softirq + steal,
        softirq,
        steal,
      };
    }
    return cores;
  } catch {
    return undefined;
  }
}

/** CPU ticks (utime + stime, all threads) of a process, or of several added up; undefined off Linux. */
export function readProcessTicks(pids) {
  let ticks = 0;
  for (const pid of [pids].flat()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return undefined;
    }
  }
  return ticks;
}

/**
 * Starts watching; `serverPid` may list several servers loaded at once. `stop()` returns the share of the
 * server's core used by others (busy time not spent in the server processes; and the same without
 * softirq and steal, for a core that idles), the share it idled, the share of the load core other
 * processes used besides wrk, each core's steal, and the whole machine's busy time in cores.
 */
export function watchCpu(serverPid, serverCpu, loadCpu) {
  const before = { cores: readCores(), server: readProcessTicks(serverPid) };
  return {
    /** @param loadTicks CPU ticks the load generator used meanwhile (wrk's `wrkTicks`) */
    stop(loadTicks) {
      const after = { cores: readCores(), server: readProcessTicks(serverPid) };
      if (!before.cores || !after.cores || before.server === undefined || after.server === undefined) return {};
      const core = (id) => ({
        busy: after.cores[id].busy - before.cores[id].busy,
        all: after.cores[id].all - before.cores[id].all,
        softirq: after.cores[id].softirq - before.cores[id].softirq,
        steal: after.cores[id].steal - before.cores[id].steal,
      });
      const server = core(serverCpu);
      const load = loadCpu !== undefined && after.cores[loadCpu] ? core(loadCpu) : undefined;
      const ids = Object.keys(after.cores);
      const machineBusy = ids.reduce((sum, id) => sum + core(id).busy, 0);
      const serverTicks = after.server - before.server;
      // A process's ticks hold the softirq work done in its own context, but not the loopback softirqs that
      // land while its core idles, nor steal (the host waking an idle vCPU late). On a core that idles (both
      // cores under paced load) those two read 5-12% with nothing else running, so there only user, system
      // and irq time count against the process. A saturated server's core never idles: there everything
      // not the server's counts, steal included, since the server loses what the host takes.
      const othersBesides = (c, ticks) => Math.max(0, c.busy - c.softirq - c.steal - ticks) / c.all;
      return {
        foreignOnServerCore: server.all ? Math.max(0, server.busy - serverTicks) / server.all : undefined,
        othersOnIdlingServerCore: server.all ? othersBesides(server, serverTicks) : undefined,
        // A saturated server's core should never idle; when it does, the load generator did not keep up.
        serverCoreIdle: server.all ? (server.all - server.busy) / server.all : undefined,
        foreignOnLoadCore: load?.all && loadTicks !== undefined ? othersBesides(load, loadTicks) : undefined,
        serverCoreSteal: server.all ? server.steal / server.all : undefined,
        loadCoreSteal: load?.all ? load.steal / load.all : undefined,
        machineBusyCores: server.all ? machineBusy / server.all : undefined,
      };
    },
  };
}

/** Others' share of a run's server core: on a core that idles by design (paced load), without softirq and steal. */
export function othersOnServerCore(run) {
  return run.load === 'paced' ? run.cpu?.othersOnIdlingServerCore : run.cpu?.foreignOnServerCore;
}

/** Share of the machine's cores busy over `ms` while the bench itself is idle. */
export async function idleLoad(ms = 1000) {
  const before = readCores();
  await sleep(ms);
  const after = readCores();
  if (!before || !after) return undefined;
  let busy = 0;
  let all = 0;
  for (const id of Object.keys(after)) {
    busy += after[id].busy - before[id].busy;
    all += after[id].all - before[id].all;
  }
  return all ? (busy / all) * Object.keys(after).length : undefined;
}

/** Cores' worth of CPU other processes may use, with the bench idle, before the machine counts as busy. */
export const QUIET = 0.1;

/**
 * Waits (up to `maxSeconds`) until other processes use less than QUIET cores, sampled over half a second.
 * Returns the seconds spent waiting; `lastLoad` holds the last measured load.
 */
export const lastLoad = { cores: undefined };

export async function waitForQuiet(maxSeconds, log) {
  const started = Date.now();
  const deadline = started + Math.max(0, maxSeconds) * 1000;
  let load = await idleLoad(500);
  let said = false;
  while (load !== undefined && load > QUIET && Date.now() + 2000 < deadline) {
    if (!said) log(`  other processes use ${load.toFixed(2)} cores; waiting up to ${maxSeconds} s for them`);
    said = true;
    await sleep(2000);
    load = await idleLoad(500);
  }
  lastLoad.cores = load;
  return (Date.now() - started) / 1000;
}
