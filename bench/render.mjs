#!/usr/bin/env node
/**
 * Re-renders a results file's .md, .svg and (for a full run) the section of BENCHMARKS.md from its .json,
 * after a change to the report's format: `node bench/render.mjs bench/results/<date>-<host>.json`.
 * Measures nothing.
 */
import { readFileSync } from 'node:fs';
import { writeResults } from './harness/write-results.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/render.mjs bench/results/<date>-<host>.json');
  process.exit(2);
}
const result = JSON.parse(readFileSync(file, 'utf8'));
writeResults(result, file.endsWith('-partial.json'), console.log);
