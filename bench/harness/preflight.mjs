/**
 * Checks the tools the bench needs and says how to install what is missing. Installs nothing: `bench/setup.sh`
 * does that on Debian, on purpose and out of CI.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

const INSTALL_HINT = 'sudo apt-get update && sudo apt-get install -y wrk   (or run bench/setup.sh)';
const PYTHON_HINT = 'sudo apt-get install -y python3-fastapi python3-uvicorn python3-uvloop python3-httptools   (or run bench/setup.sh)';
const PYTHON_MODULES = ['fastapi', 'uvicorn', 'uvloop', 'httptools'];

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/** Throws with install instructions when the load generator or CPU pinning is unavailable. */
export function checkTools({ serverCpu, loadCpu }) {
  const missing = [];
  if (!has('wrk')) missing.push(`wrk is not installed: ${INSTALL_HINT}`);
  if (!has('taskset')) missing.push('taskset is not installed: sudo apt-get install -y util-linux');
  const cores = cpus().length;
  if (cores < 2 && serverCpu !== loadCpu) {
    missing.push(`this machine has ${cores} core(s); server and load need their own (set BENCH_SERVER_CPU and BENCH_LOAD_CPU to the same core to run anyway, numbers will not compare)`);
  }
  if (missing.length) throw new Error(`cannot run the benchmark:\n  - ${missing.join('\n  - ')}`);
}

/**
 * The first Python that imports FastAPI, uvicorn, uvloop and httptools: BENCH_PYTHON, then Debian's
 * /usr/bin/python3 (where apt puts them, even when a pyenv python3 comes first on PATH), then python3.
 * @returns { python, versions } or { skipReason }
 */
export function findPython(preferred) {
  const candidates = [preferred, '/usr/bin/python3', 'python3'].filter(Boolean);
  const reasons = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', `
import importlib, json, sys
found, missing = {}, []
for name in ${JSON.stringify(PYTHON_MODULES)}:
    try:
        module = importlib.import_module(name)
        found[name] = getattr(module, '__version__', '?')
    except Exception:
        missing.append(name)
found['python'] = sys.version.split()[0]
print(json.dumps({'found': found, 'missing': missing}))
`], { encoding: 'utf8' });
    if (probe.status !== 0) {
      reasons.push(`${python}: not runnable`);
      continue;
    }
    const { found, missing } = JSON.parse(probe.stdout);
    if (missing.length === 0) return { python, versions: found };
    reasons.push(`${python}: missing ${missing.join(', ')}`);
  }
  return { skipReason: `no Python with ${PYTHON_MODULES.join(', ')} (${reasons.join('; ')}). Install: ${PYTHON_HINT}` };
}
