#!/usr/bin/env node
/**
 * Re-renders a results file's .md, .svg and (for a full run) the section of BENCHMARKS.md from its .json,
 * after a change to the report's format: `node bench/render.mjs bench/results/<date>-<host>.json`.
 * With `--rejudge "<why>"` it also judges the goals again from the same runs with today's
 * `harness/goals.mjs`, keeping the run's own verdicts in the file (`rejudged.goalsBefore`).
 * Measures nothing. Writes under the run's own name (`<date>-<host>`), as the bench did.
 */
import { readFileSync } from 'node:fs';
import { judgeGoals } from './harness/goals.mjs';
import { writeResults } from './harness/write-results.mjs';

const args = process.argv.slice(2);
const whyAt = args.indexOf('--rejudge');
const why = whyAt === -1 ? undefined : args.splice(whyAt, 2)[1];
const file = args[0];
if (!file || (whyAt !== -1 && !why)) {
  console.error('usage: node bench/render.mjs [--rejudge "<why>"] bench/results/<date>-<host>.json');
  process.exit(2);
}
const result = JSON.parse(readFileSync(file, 'utf8'));
if (why) {
  const { variants, runs, medians, micro, heap } = result;
  const goalsBefore = result.rejudged?.goalsBefore ?? result.goals;
  result.goals = judgeGoals({ variants, runs: runs.filter((run) => run.used), medians, micro, heap });
  result.rejudged = { at: new Date().toISOString(), why, goalsBefore };
}
writeResults(result, file.endsWith('-partial.json'), console.log);
