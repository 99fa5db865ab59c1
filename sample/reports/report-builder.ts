import { Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sampleConfig } from '../common/sample.config.js';

const logger = new Logger('Reports');

/** A report that takes a while: three slow steps, then a file. */
export async function buildReport(id: string, period: string): Promise<void> {
  const rows: string[] = [];
  for (const step of ['orders', 'refunds', 'totals']) {
    await sleep(sampleConfig.reportStepMs);
    rows.push(`${step},${period},${Math.round(Math.random() * 1000)}`);
    logger.log(`Report ${id}: ${step} done`);
  }
  const dir = join(sampleConfig.dataDir, 'reports');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${id}.csv`), `section,period,value\n${rows.join('\n')}\n`);
  logger.log(`Report ${id} written to ${join(dir, `${id}.csv`)}`);
}
