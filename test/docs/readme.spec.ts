import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The README cannot rot: every ```ts block is type-checked against the built package (`npm test` builds
 * it first), and the API reference names every public symbol.
 *
 * Conventions, in HTML comments right before a block (invisible on the rendered page):
 * - `<!-- ts-file: src/app.module.ts -->` writes the block to that path, so that blocks importing each
 *   other (`./app.module.js`) resolve; other blocks get a file of their own.
 * - `<!-- ts-preamble ... -->` is code put before the block: the imports and `declare`s a fragment
 *   leaves out (the reader's own functions and services).
 * Blocks are ESM modules under `module: nodenext`, as a Nest 12 app's; the package resolves by its name.
 */
const root = process.cwd();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const work = join(root, '.tmp', 'readme-blocks');

interface Block {
  file: string;
  /** README line (1-based) of the block's first code line. */
  line: number;
  preamble: string[];
  code: string[];
}

function extractBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    let file: string | undefined;
    let preamble: string[] = [];
    // The comments directly above the fence.
    for (let j = i - 1; j >= 0 && lines[j].trim().endsWith('-->'); ) {
      let start = j;
      while (start >= 0 && !lines[start].trimStart().startsWith('<!--')) start--;
      const comment = lines.slice(start, j + 1).join('\n').replace(/^\s*<!--\s*/, '').replace(/\s*-->\s*$/, '');
      if (comment.startsWith('ts-file:')) file = comment.slice('ts-file:'.length).trim();
      else if (comment.startsWith('ts-preamble')) preamble = comment.slice('ts-preamble'.length).split('\n').filter((l) => l.trim() !== '');
      j = start - 1;
    }
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md line ${i + 1}: unclosed code block`);
    blocks.push({ file: file ?? `blocks/block-${String(blocks.length + 1).padStart(2, '0')}.ts`, line: i + 2, preamble, code: lines.slice(i + 1, end) });
    i = end;
  }
  return blocks;
}

describe('README.md', () => {
  const blocks = extractBlocks(readme);

  it('every TypeScript block compiles against the built package', () => {
    expect(existsSync(join(root, 'dist', 'index.d.ts'))).toBe(true);
    expect(blocks.length).toBeGreaterThanOrEqual(15);
    rmSync(work, { recursive: true, force: true });
    const byFile = new Map<string, Block>();
    for (const block of blocks) {
      expect(byFile.has(block.file)).toBe(false);
      byFile.set(block.file, block);
      const path = join(work, block.file);
      mkdirSync(dirname(path), { recursive: true });
      // `export {}` makes a block without imports a module of its own.
      writeFileSync(path, [...block.preamble, ...block.code, 'export {};', ''].join('\n'));
    }
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2023'],
          strict: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node', 'jest'],
        },
        include: ['**/*.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: work, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    // Each error located in README.md, so that the message says which line to fix.
    const errors = output
      .split('\n')
      .filter((line) => /\(\d+,\d+\): error/.test(line))
      .map((line) => {
        const [, file, row, message] = /^(.+?)\((\d+),\d+\): (error .*)$/.exec(line) ?? [];
        const block = byFile.get(file.replace(/\\/g, '/'));
        if (block === undefined) return line;
        const inBlock = Number(row) - block.preamble.length;
        return inBlock >= 1 ? `README.md:${block.line + inBlock - 1}: ${message}` : `README.md:${block.line} (preamble line ${row}): ${message}`;
      });
    expect(errors).toEqual([]);
  }, 120_000);

  it('every in-page link points at a heading', () => {
    // GitHub's slugs: lower case, punctuation dropped, spaces to hyphens.
    const slugs = [...readme.matchAll(/^#{1,4} (.+)$/gm)].map(([, title]) =>
      title.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'),
    );
    const targets = [...readme.matchAll(/\]\(#([^)]+)\)/g)].map(([, target]) => target);
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((target) => !slugs.includes(target))).toEqual([]);
  });

  it('the API reference names every public symbol of both entry points', () => {
    const reference = readme.slice(readme.indexOf('## API reference'), readme.indexOf('## Development'));
    for (const entry of ['lib/index.ts', 'lib/testing/index.ts', 'lib/threads/index.ts']) {
      const source = readFileSync(join(root, entry), 'utf8');
      const names = [...source.matchAll(/export (?:type )?\{([^}]*)\}/g)]
        .flatMap(([, list]) => list.split(','))
        .map((name) => name.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!)
        .filter((name) => name !== '');
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((name) => !reference.includes(`\`${name}\``))).toEqual([]);
    }
  });
});
