import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const here = join(root, 'test', 'pack');

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The tarball `npm pack` makes must install and load in a fresh project, from ESM and from CommonJS. */
describe('the packed package', () => {
  let dir: string;
  let tarball: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nbt-consumer-'));
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], root)) as { filename: string; files: { path: string }[] }[];
    tarball = join(dir, packed[0].filename);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const peers = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', 'reflect-metadata', 'rxjs'].map(
      (name) => `${name}@${own.devDependencies[name]}`,
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...peers], dir);
    copyFileSync(join(here, 'consumer-app.mjs'), join(dir, 'consumer-app.mjs'));
    copyFileSync(join(here, 'consumer-cjs.cjs'), join(dir, 'consumer-cjs.cjs'));
    copyFileSync(join(here, 'consumer-durable-missing.mjs'), join(dir, 'consumer-durable-missing.mjs'));
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships only the build, with types', () => {
    const listing = run('tar', ['-tzf', tarball], dir).split('\n');
    expect(listing).toContain('package/dist/index.js');
    expect(listing).toContain('package/dist/index.d.ts');
    expect(listing).toContain('package/dist/testing/index.js');
    expect(listing).toContain('package/dist/testing/index.d.ts');
    expect(listing.filter((file) => /package\/(lib|test|sample|node_modules)\//.test(file))).toEqual([]);
  });

  it('is imported by an ESM app that runs a task after the response; require() sees the same class', () => {
    const out = JSON.parse(run(process.execPath, ['consumer-app.mjs'], dir));
    expect(out).toEqual({ status: 201, ran: ['ada'], sameClassFromRequire: true });
  });

  it('is require()d by a CommonJS app, and import() there sees the same class', () => {
    const out = JSON.parse(run(process.execPath, ['consumer-cjs.cjs'], dir));
    expect(out).toEqual({
      exports: [
        'BackgroundTask',
        'BackgroundTasks',
        'BackgroundTasksHealthIndicator',
        'BackgroundTasksInterceptor',
        'BackgroundTasksMetrics',
        'BackgroundTasksModule',
        'BackgroundTasksQueueFullError',
        'BackgroundTasksWithOptions',
        'Tasks',
      ],
      module: 'function',
      tasks: 'function',
      testing: ['BackgroundTasksTester'],
      sameClassFromImport: true,
    });
  });

  it('imports without bullmq (an optional peer); durable mode then fails at startup naming it', () => {
    expect(existsSync(join(dir, 'node_modules', 'bullmq'))).toBe(false);
    const out = JSON.parse(run(process.execPath, ['consumer-durable-missing.mjs'], dir)) as { started: boolean; message: string };
    expect(out.started).toBe(false);
    expect(out.message).toMatch(/^BackgroundTasksModule option "durable" needs the package "bullmq" \(npm install bullmq ioredis\): /);
  });
});
