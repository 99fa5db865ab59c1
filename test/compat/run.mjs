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

const lock = readFileSync(join(dir, 'package-lock.json'), 'utf8');
const current = existsSync(installedLock) && JSON.parse(readFileSync(installedLock, 'utf8')).packages?.['node_modules/@nestjs/core']?.version === JSON.parse(lock).packages['node_modules/@nestjs/core'].version;
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
