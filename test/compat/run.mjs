// Runs the e2e suites against Nest 11: installs Nest 11 into test/compat/nest11 (its own lock file,
// peers from the project's node_modules) unless that install is current, then runs Jest with
// jest.nest11.config.js. Usage: node test/compat/run.mjs [jest args]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dir = join(here, 'nest11');
const installedLock = join(dir, 'node_modules', '.package-lock.json');

// Current when every package the lock file names is installed at the locked version (a lock that gained
// a package, say @nestjs/testing, must trigger an install even if @nestjs/core did not move).
const wanted = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages;
const installed = existsSync(installedLock) ? JSON.parse(readFileSync(installedLock, 'utf8')).packages ?? {} : {};
const current = Object.entries(wanted)
  .filter(([path]) => path.startsWith('node_modules/'))
  .every(([path, entry]) => installed[path]?.version === entry.version);
if (!current) {
  // --legacy-peer-deps: rxjs, reflect-metadata, graphql, ws and socket.io are the project's own.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps'], { cwd: dir, stdio: 'inherit' });
}
const version = JSON.parse(readFileSync(join(dir, 'node_modules', '@nestjs', 'core', 'package.json'), 'utf8')).version;
console.log(`Running the e2e suites against @nestjs/core ${version}`);
const result = spawnSync(
  process.execPath,
  ['--expose-gc', '--experimental-vm-modules', join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', join(here, 'jest.nest11.config.js'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, EXPECT_NEST_MAJOR: '11' } },
);
process.exit(result.status ?? 1);
