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
    copyFileSync(join(here, 'consumer-durable-missing.cjs'), join(dir, 'consumer-durable-missing.cjs'));
    for (const file of ['consumer-threads.mjs', 'consumer-threads.cjs', 'thread-task.mjs', 'thread-task.cjs']) copyFileSync(join(here, file), join(dir, file));
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships the build (CommonJS implementation, ESM entries, types for each), LICENSE and CHANGELOG, no maps', () => {
    const listing = run('tar', ['-tzf', tarball], dir).split('\n');
    for (const entry of ['index', 'testing/index', 'threads/index']) {
      expect(listing).toContain(`package/dist/${entry}.js`);
      expect(listing).toContain(`package/dist/${entry}.d.ts`);
      expect(listing).toContain(`package/dist/cjs/${entry}.js`);
      expect(listing).toContain(`package/dist/cjs/${entry}.d.ts`);
    }
    expect(listing).toEqual(expect.arrayContaining(['package/dist/cjs/package.json', 'package/LICENSE', 'package/CHANGELOG.md', 'package/README.md']));
    expect(listing.filter((file) => /package\/(lib|test|sample|bench|scripts|node_modules)\//.test(file))).toEqual([]);
    // Source maps would point at lib/, which is not shipped.
    expect(listing.filter((file) => /\.map$|\.tsbuildinfo$/.test(file))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(dir, 'node_modules', 'nestjs-background-tasks', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ license: 'MIT', repository: { url: expect.stringContaining('github.com') }, homepage: expect.any(String) });
  });

  it('is imported by an ESM app that runs a task after the response; require() sees the same class', () => {
    const out = JSON.parse(run(process.execPath, ['consumer-app.mjs'], dir));
    expect(out).toEqual({ status: 201, ran: ['ada'], sameClassFromRequire: true });
  });

  it('runs thread tasks in worker threads from an ESM app (tasks in ESM and CommonJS modules) and a CommonJS app', () => {
    expect(JSON.parse(run(process.execPath, ['consumer-threads.mjs'], dir))).toEqual({ esm: 42, cjs: 42, inThreads: true, threadsLeft: 0 });
    expect(JSON.parse(run(process.execPath, ['consumer-threads.cjs'], dir))).toEqual({ cjs: 15, inThread: true, threadsLeft: 0 });
  });

  it('is require()d by a CommonJS app, and import() there sees the same class', () => {
    const out = JSON.parse(run(process.execPath, ['consumer-cjs.cjs'], dir));
    const names = [
        'BackgroundTask',
        'BackgroundTasks',
        'BackgroundTasksHealthIndicator',
        'BackgroundTasksInterceptor',
        'BackgroundTasksMetrics',
        'BackgroundTasksModule',
        'BackgroundTasksQueueFullError',
        'BackgroundTasksTracker',
        'BackgroundTasksWithOptions',
      'Tasks',
      'ThreadTaskPool',
      'defineThreadTask',
    ];
    expect(out).toEqual({
      exports: names,
      esmExports: names,
      module: 'function',
      tasks: 'function',
      testing: ['BackgroundTasksTester'],
      esmTesting: ['BackgroundTasksTester'],
      sameClassFromImport: true,
      sameTesterFromImport: true,
      resolved: 'dist/cjs/index.js',
    });
  });

  it.each(['consumer-durable-missing.mjs', 'consumer-durable-missing.cjs'])(
    'loads without bullmq (an optional peer); durable mode then fails at startup naming it (%s)',
    (consumer) => {
      expect(existsSync(join(dir, 'node_modules', 'bullmq'))).toBe(false);
      const out = JSON.parse(run(process.execPath, [consumer], dir)) as { started: boolean; message: string };
      expect(out.started).toBe(false);
      expect(out.message).toMatch(/^BackgroundTasksModule option "durable" needs the package "bullmq" \(npm install bullmq ioredis\): /);
    },
  );
});
