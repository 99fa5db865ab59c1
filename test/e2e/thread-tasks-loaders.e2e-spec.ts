import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * How a worker thread finds a thread task written in TypeScript, in a Node process of its own on the built
 * package: with a require hook given by `--require` (what `ts-node/register` and `@swc-node/register`
 * are), which worker threads inherit, the thread requires the `.ts` module through it.
 */
describe('thread tasks under a TypeScript require hook', () => {
  const fixtures = join(process.cwd(), 'test', 'fixtures', 'threads');

  it('runs a .ts thread task in a worker thread when Node runs with a require hook for .ts', () => {
    const out = execFileSync(process.execPath, ['--require', './ts-require-hook.cjs', 'require-hook-app.cjs'], {
      cwd: fixtures,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(out)).toMatchObject({ value: 42, inThread: true });
  }, 90_000);
});
