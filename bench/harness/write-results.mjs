/** Writes a finished run: results/<date>-<host>[-partial].{json,md,svg}, and the section of BENCHMARKS.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart } from './chart-svg.mjs';
import { REPO_DIR, RESULTS_DIR } from './config.mjs';
import { latestSection, resultsMarkdown } from './report-md.mjs';

const START = '<!-- bench:latest:start -->';
const END = '<!-- bench:latest:end -->';

function updateBenchmarksMd(section, log) {
  const file = join(REPO_DIR, 'BENCHMARKS.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) {
    log(`BENCHMARKS.md has no ${START} ... ${END} markers: not updated`);
    return;
  }
  writeFileSync(file, `${text.slice(0, from + START.length)}\n${section}\n${text.slice(to)}`);
  log('updated the latest-results section of BENCHMARKS.md');
}

/**
 * @param result   the run (see run.mjs)
 * @param partial  only some variants or parts ran: the files say so and BENCHMARKS.md is left alone
 *                 unless BENCH_UPDATE_BENCHMARKS_MD=1
 */
export function writeResults(result, partial, log) {
  const { machine, medians, variants } = result;
  const base = `${result.startedAt.slice(0, 10)}-${machine.host}${partial ? '-partial' : ''}`;
  const chartFile = `${base}.svg`;
  const chart = renderChart({
    caption: `${result.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}, Nest ${machine.nest}`,
    throughput: variants.filter((v) => v.load === 'saturate' && medians[v.name])
      .map((v) => ({ name: v.name, group: v.group, value: medians[v.name].rps, min: medians[v.name].rpsMin, max: medians[v.name].rpsMax })),
    latency: variants.filter((v) => v.load === 'paced' && medians[v.name])
      .map((v) => ({ name: v.name, group: v.group, value: medians[v.name].p99 / 1000 })),
  });
  writeFileSync(join(RESULTS_DIR, `${base}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, `${base}.md`), resultsMarkdown(result, chartFile));
  writeFileSync(join(RESULTS_DIR, chartFile), chart);
  log(`wrote bench/results/${base}.{json,md,svg}`);

  const mode = process.env.BENCH_UPDATE_BENCHMARKS_MD;
  if (mode === '1' || (mode !== '0' && !partial)) updateBenchmarksMd(latestSection(result, `bench/results/${chartFile}`), log);
}
