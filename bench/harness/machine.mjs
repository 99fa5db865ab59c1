/** What the numbers were measured on: written into every results file. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, hostname, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './config.mjs';

const require = createRequire(join(REPO_DIR, 'package.json'));

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function osName() {
  try {
    const line = readFileSync('/etc/os-release', 'utf8').split('\n').find((l) => l.startsWith('PRETTY_NAME='));
    return line ? line.slice('PRETTY_NAME='.length).replace(/"/g, '') : undefined;
  } catch {
    return undefined;
  }
}

function wrkVersion() {
  const result = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`.split('\n')[0].trim() || undefined;
}

export function describeMachine(pythonVersions) {
  const cpuList = cpus();
  return {
    host: hostname(),
    cpuModel: cpuList[0]?.model,
    cores: cpuList.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: osName(),
    kernel: release(),
    node: process.version,
    nest: packageVersion('@nestjs/core'),
    fastify: packageVersion('fastify'),
    express: packageVersion('express'),
    library: JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')).version,
    libraryCommit: spawnSync('git', ['-C', REPO_DIR, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim(),
    wrk: wrkVersion(),
    python: pythonVersions,
    // Other work on the machine skews everything; a 1-minute load above ~1.2 (the bench's own) says so.
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  };
}
