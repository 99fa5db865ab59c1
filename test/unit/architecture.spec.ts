import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The layering ARCHITECTURE.md describes, checked on the source: imports (type imports too) run one way,
 * no file imports itself back through others, and files stay small. A layer may import its own folder
 * and the layers below it; the plug-ins (observability, durable, testing, threads, tracking) never import each other.
 */
const LIB = path.resolve(process.cwd(), 'lib');

/** Folder (or root file) -> rank: a file imports only ranks <= its own, plug-ins excepted. */
const LAYERS: Record<string, number> = {
  interfaces: 0,
  core: 1,
  runner: 2,
  request: 3,
  observability: 4,
  durable: 4,
  testing: 4,
  threads: 4,
  tracking: 4,
  '.': 5,
};
const PLUG_INS = new Set(['observability', 'durable', 'testing', 'threads', 'tracking']);
/** What the transport-neutral core may not import, even as types. */
const CORE_FORBIDDEN = /^(@nestjs\/|node:http$|node:net$|rxjs)/;
const MAX_LINES = 250;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const files = sourceFiles(LIB);
const rel = (file: string) => path.relative(LIB, file);
const layerOf = (file: string) => {
  const first = rel(file).split(path.sep)[0];
  return first.endsWith('.ts') ? '.' : first;
};

/** Every module specifier a file imports or re-exports, statically or with `import()`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(pattern)) found.push(match[1] ?? match[2] ?? match[3]);
  return found;
}

const graph = new Map<string, string[]>();
const external = new Map<string, string[]>();
for (const file of files) {
  const specs = specifiers(readFileSync(file, 'utf8'));
  graph.set(
    file,
    specs.filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts')),
  );
  external.set(file, specs.filter((s) => !s.startsWith('.')));
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(rel(member));
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const file of files) if (!indices.has(file)) visit(file);
  return found;
}

describe('lib/ architecture', () => {
  it('every relative import names a file that exists', () => {
    const missing = [...graph].flatMap(([file, targets]) => targets.filter((t) => !files.includes(t)).map((t) => `${rel(file)} -> ${rel(t)}`));
    expect(missing).toEqual([]);
  });

  it('has no import cycles, counting type imports', () => {
    expect(cycles()).toEqual([]);
  });

  it('imports run down the layers; plug-ins never import each other', () => {
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      expect(LAYERS).toHaveProperty([from]);
      for (const target of targets) {
        const to = layerOf(target);
        const upward = LAYERS[to] > LAYERS[from];
        const sideways = from !== to && PLUG_INS.has(from) && PLUG_INS.has(to);
        if (upward || sideways) violations.push(`${rel(file)} (${from}) -> ${rel(target)} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the core needs neither Nest, nor node:http, nor RxJS', () => {
    const violations = files
      .filter((file) => layerOf(file) === 'core' || layerOf(file) === 'interfaces')
      .flatMap((file) => external.get(file)!.filter((spec) => CORE_FORBIDDEN.test(spec)).map((spec) => `${rel(file)} -> ${spec}`));
    expect(violations).toEqual([]);
  });

  it(`no file is over ${MAX_LINES} lines`, () => {
    const long = files
      .map((file) => ({ file: rel(file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('the checks see the whole library (the pattern finds imports)', () => {
    expect(files.length).toBeGreaterThan(50);
    const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
    expect(edges).toBeGreaterThan(files.length);
  });
});
