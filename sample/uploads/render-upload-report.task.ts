import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineThreadTask } from 'nestjs-background-tasks/threads';

/**
 * Reads an uploaded CSV of numbers and writes a summary report: CPU-heavy enough (parsing, sorting, a
 * digest per row) that it runs in a worker thread, so that other requests never wait for it. A module of
 * its own, importing only what the thread needs (`nestjs-background-tasks/threads` loads no Nest).
 */
export const renderUploadReport = defineThreadTask(
  import.meta.url,
  'renderUploadReport',
  async (signal: AbortSignal, id: string, csv: string, dataDir: string): Promise<void> => {
    const values = csv
      .split(/[\n,]/)
      .map((cell) => Number(cell.trim()))
      .filter((value) => Number.isFinite(value));
    let digest = id;
    for (const value of values) {
      if (signal.aborted) throw signal.reason; // the attempt timed out or the app is shutting down
      digest = createHash('sha256').update(`${digest}:${value}`).digest('hex');
    }
    const sorted = [...values].sort((a, b) => a - b);
    const sum = values.reduce((total, value) => total + value, 0);
    const median = sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)];
    const dir = join(dataDir, 'uploads');
    await mkdir(dir, { recursive: true });
    const lines = [`values,${values.length}`, `sum,${sum}`, `min,${sorted[0] ?? 0}`, `median,${median}`, `max,${sorted.at(-1) ?? 0}`, `digest,${digest}`];
    await writeFile(join(dir, `${id}.report.csv`), `${lines.join('\n')}\n`);
  },
);
