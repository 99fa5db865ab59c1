/**
 * Shared by the micro-benchmarks: their arguments and the library build they load. The build is
 * imported from `<dist>/index.js` by file URL, public API only, so that any build (the current `dist/`,
 * or a baseline revision's under .tmp/) can be measured while lib/ internals move.
 *   --dist <dir>   the build to load (default: <repo>/dist)
 *   --runs <n>     measured runs per shape, alternating shapes (default 5)
 *   --seconds <s>  length of one run (default 1)
 */
import 'reflect-metadata';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { dist: { type: 'string' }, runs: { type: 'string' }, seconds: { type: 'string' } } });
export const DIST = resolve(values.dist ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist'));
export const RUNS = Number(values.runs ?? 5);
export const SECONDS = Number(values.seconds ?? 1);

export const library = await import(pathToFileURL(join(DIST, 'index.js')).href);

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Warms each shape up, then measures each `RUNS` times, alternating shapes so that drift of the machine
 * hits all alike. `measure(shape)` resolves one run's figure. Prints and returns one `RESULT {...}` line.
 */
export async function alternate(shapes, measure, extra = (r) => r) {
  for (const shape of Object.values(shapes)) await measure(shape, SECONDS / 3);
  const runs = Object.fromEntries(Object.keys(shapes).map((name) => [name, []]));
  for (let r = 0; r < RUNS; r++) {
    for (const [name, shape] of Object.entries(shapes)) runs[name].push(await measure(shape, SECONDS));
  }
  const result = extra({ dist: DIST, seconds: SECONDS, shapes: Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, { median: median(list), runs: list }])) }, runs);
  console.log(`RESULT ${JSON.stringify(result)}`);
  return result;
}
