// The type-check matrix: consumer.ts, which imports both entry points and uses the API, checked by
// TypeScript 5.0 and the current TypeScript under each module/moduleResolution setting, as a CommonJS
// and as an ESM project where the setting tells them apart, with Nest 11 and with Nest 12 (nest11/ and
// nest12/, each with its own lock file). Types come from the packed tarball.
// Usage: node test/types/run.mjs [--skip-pack]
import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const work = join(root, '.tmp', 'types-matrix');

function run(command, args, cwd) {
  console.log(`$ (${cwd.slice(root.length + 1) || '.'}) ${[command, ...args].join(' ')}`);
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}

const packDir = join(root, '.tmp', 'pack');
if (!process.argv.includes('--skip-pack')) {
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  run('npm', ['pack', '--silent', '--pack-destination', packDir], root);
}
const tarball = readdirSync(packDir).find((file) => file.endsWith('.tgz'));
if (tarball === undefined) throw new Error(`no tarball in ${packDir}: run without --skip-pack`);

/** npm ci unless every package the lock names is installed at the locked version. */
function install(dir) {
  const wanted = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages;
  const installedLock = join(dir, 'node_modules', '.package-lock.json');
  const installed = existsSync(installedLock) ? JSON.parse(readFileSync(installedLock, 'utf8')).packages ?? {} : {};
  const current = Object.entries(wanted)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.optional)
    .every(([path, entry]) => installed[path]?.version === entry.version);
  if (!current) run('npm', ['ci', '--no-audit', '--no-fund'], dir);
}
install(here);
for (const nest of ['nest11', 'nest12']) {
  install(join(here, nest));
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', join(packDir, tarball)], join(here, nest));
}

// What Nest apps set (the CLI's tsconfig) apart from the module settings.
const common = {
  target: 'es2022',
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};
// [name, package.json "type", module, moduleResolution]
const SETTINGS = [
  ['node10 (CommonJS)', 'commonjs', 'commonjs', 'node10'],
  ['node16 (CommonJS)', 'commonjs', 'node16', 'node16'],
  ['node16 (ESM)', 'module', 'node16', 'node16'],
  ['nodenext (CommonJS)', 'commonjs', 'nodenext', 'nodenext'],
  ['nodenext (ESM)', 'module', 'nodenext', 'nodenext'],
  ['bundler', 'module', 'esnext', 'bundler'],
];
const COMPILERS = [
  ['typescript-5.0', join(here, 'node_modules', 'typescript-5.0')],
  ['typescript', join(here, 'node_modules', 'typescript')],
];

rmSync(work, { recursive: true, force: true });
const rows = [];
const checks = [];
for (const nest of ['nest11', 'nest12']) {
  for (const [label, compiler] of COMPILERS) {
    const version = JSON.parse(readFileSync(join(compiler, 'package.json'), 'utf8')).version;
    for (const [name, type, module, moduleResolution] of SETTINGS) {
      const row = { nest, typescript: version, setting: name, result: 'ok' };
      rows.push(row);
      // Nest 12 is ESM-only: a CommonJS app can only require() it with node16/nodenext from TypeScript
      // 5.8 on (nodenext) and never with node16, whatever this package does. Such apps use Nest 11.
      if (nest === 'nest12' && type === 'commonjs' && moduleResolution !== 'node10' && (moduleResolution === 'node16' || version.startsWith('5.'))) {
        row.result = 'n/a: Nest 12 is ESM-only';
        continue;
      }
      const dir = join(work, `${nest}-${label}-${module}-${moduleResolution}-${type}`);
      mkdirSync(dir, { recursive: true });
      symlinkSync(join(here, nest, 'node_modules'), join(dir, 'node_modules'), 'dir');
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type }));
      copyFileSync(join(here, 'consumer.ts'), join(dir, 'consumer.ts'));
      // TypeScript 6 deprecates node10; the setting still exists and apps still use it.
      const deprecations = moduleResolution === 'node10' && !version.startsWith('5.') ? { ignoreDeprecations: '6.0' } : {};
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { ...common, module, moduleResolution, ...deprecations }, files: ['consumer.ts'] }, null, 2),
      );
      checks.push(async () => {
        try {
          await promisify(execFile)(process.execPath, [join(compiler, 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: dir });
        } catch (error) {
          row.result = 'FAILED';
          console.log(`\n${nest}, TypeScript ${version}, ${name} (${dir}):\n${error.stdout}${error.stderr}`);
        }
      });
    }
  }
}
// A few compilers at a time.
await Promise.all(
  Array.from({ length: Math.min(4, availableParallelism()) }, async () => {
    for (let check = checks.shift(); check !== undefined; check = checks.shift()) await check();
  }),
);
console.table(rows);
const failed = rows.filter((row) => row.result === 'FAILED').length;
if (failed > 0) {
  console.error(`${failed} of ${rows.length} type checks failed`);
  process.exit(1);
}
console.log(`All ${rows.filter((row) => row.result === 'ok').length} type checks passed.`);
