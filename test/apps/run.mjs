// Runs the test apps shaped like the Nest CLI's output against the packed tarball:
//   nest11-cjs: Nest 11, CommonJS, Jest as the Nest 11 CLI configures it (CommonJS mode, no require(esm));
//   nest12-esm: Nest 12, ESM, vitest as the Nest 12 CLI configures it.
// Each installs from its own lock file (npm ci, skipped when node_modules is current), then the tarball
// from `npm pack` (which builds), type-checks (tsc, the app's own TypeScript) and runs its e2e tests.
// Usage: node test/apps/run.mjs [--node <path to a node binary>]... [--skip-pack] [app...]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { node: { type: 'string', multiple: true }, 'skip-pack': { type: 'boolean' } },
});
const nodes = (values.node ?? [process.execPath]).map((node) => resolve(node));
const apps = positionals.length > 0 ? positionals : ['nest11-cjs', 'nest12-esm'];
const COMMANDS = {
  'nest11-cjs': ['node_modules/jest/bin/jest.js', '--config', './test/jest-e2e.json'],
  'nest12-esm': ['node_modules/vitest/vitest.mjs', 'run', '--config', './vitest.config.e2e.ts'],
};

function run(command, args, cwd, env = process.env) {
  console.log(`$ (${cwd.slice(root.length + 1) || '.'}) ${[command, ...args].join(' ')}`);
  execFileSync(command, args, { cwd, stdio: 'inherit', env });
}

const packDir = join(root, '.tmp', 'pack');
if (!values['skip-pack']) {
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  run('npm', ['pack', '--silent', '--pack-destination', packDir], root);
}
const tarball = readdirSync(packDir).find((file) => file.endsWith('.tgz'));
if (tarball === undefined) throw new Error(`no tarball in ${packDir}: run without --skip-pack`);

/** Current when every package the lock names is installed at the locked version. */
function installIsCurrent(dir) {
  const installedLock = join(dir, 'node_modules', '.package-lock.json');
  if (!existsSync(installedLock)) return false;
  const wanted = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages;
  const installed = JSON.parse(readFileSync(installedLock, 'utf8')).packages ?? {};
  return Object.entries(wanted)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.optional)
    .every(([path, entry]) => installed[path]?.version === entry.version);
}

for (const app of apps) {
  const dir = join(here, app);
  if (!installIsCurrent(dir)) run('npm', ['ci', '--no-audit', '--no-fund'], dir);
  // Not in package.json or the lock: its checksum changes with every build.
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', join(packDir, tarball)], dir);
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'], dir);
  for (const node of nodes) {
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    console.log(`\n${app}: e2e tests under node ${version}`);
    // The binary's own directory first on PATH: child processes the runner spawns use the same Node.
    run(node, COMMANDS[app], dir, { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` });
  }
}
