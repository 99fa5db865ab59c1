import { Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleConfig } from '../common/sample.config.js';

const logger = new Logger('Uploads');

/** One upload on its way: what its chunk tasks found, read by its report task. */
export interface Upload {
  /** The report task's id: the upload's id in URLs (set as soon as the report task is added). */
  id: string;
  readonly chunkIds: string[];
  readonly words: number[];
}

/**
 * One chunk, counted (slowly, to show the fan-out): abortable, so a cancel (`DELETE /uploads/:id`) stops
 * the wait at once.
 */
export async function countChunk(signal: AbortSignal, upload: Upload, index: number, lines: readonly string[]): Promise<number> {
  await sleep(sampleConfig.chunkDelayMs, undefined, { signal });
  const words = lines.reduce((sum, line) => sum + line.split(/\s+/).filter(Boolean).length, 0);
  upload.words[index] = words;
  logger.log(`Upload ${upload.id}: chunk ${index} counted`);
  return words;
}

/** The fan-in: runs once every chunk succeeded, and writes the report. */
export async function writeUploadReport(upload: Upload): Promise<void> {
  const total = upload.words.reduce((sum, words) => sum + words, 0);
  const dir = join(sampleConfig.dataDir, 'uploads');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${upload.id}.txt`), `chunks ${upload.words.length}\nwords ${total}\n`);
  logger.log(`Upload ${upload.id}: report ready (${upload.words.length} chunks)`);
}
