import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { dirname } from 'node:path';
import { TaskRunner } from '../../lib/runner/task-runner.js';
import { ADAPTERS, startApp } from '../support/app.js';
import { send, sendAndAbortLater } from '../support/http.js';
import { seeded, SoakAppModule } from './soak-app.module.js';
import { SoakJournal } from './soak-journal.js';

const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 300);
const REPORT = process.env.SOAK_REPORT;
const IN_FLIGHT = 32;

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the soak needs --expose-gc (npm test passes it)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function drive(url: string, seeds: number[], random: () => number): Promise<number> {
  let aborted = 0;
  let next = 0;
  const worker = async () => {
    while (next < seeds.length) {
      const seed = seeds[next++];
      if (random() < 0.2) {
        aborted++;
        const call = sendAndAbortLater(`${url}/soak/${seed}`);
        setTimeout(() => call.abort(), Math.floor(random() * 3));
        await call.settled;
      } else {
        await send(`${url}/soak/${seed}`, 'POST');
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return aborted;
}

describe.each(ADAPTERS)('fault soak on %s', (adapter) => {
  it(`accounts for every task of ${REQUESTS} chaotic requests exactly once`, async () => {
    const processErrors: unknown[] = [];
    const onProcessError = (error: unknown) => processErrors.push(error);
    process.on('unhandledRejection', onProcessError);
    process.on('uncaughtException', onProcessError);
    try {
      const journal = new SoakJournal();
      const { app, url, logger } = await startApp(
        SoakAppModule.with(journal, { drainTimeout: 1_000, maxConcurrent: 16 }),
        adapter,
      );
      app.get(TaskRunner).events.onEnd((info) => journal.ended(info));
      const random = seeded(adapter === 'express' ? 7 : 11);

      await drive(url, [1, 2, 3, 4, 5, 6, 7, 8], random);
      const heapBefore = heapAfterGc();
      const started = Date.now();

      const seeds = Array.from({ length: REQUESTS }, (_, i) => 1000 + i);
      const aborted = await drive(url, seeds, random);
      // A last wave whose tasks may run long enough to meet the drain deadline.
      journal.finalWave = true;
      await Promise.all([900_001, 900_002, 900_003].map((seed) => send(`${url}/soak/${seed}`, 'POST')));
      await app.close();
      const ledger = journal.ledger();
      const errorLines = logger.ours('error').length;
      // What the test itself keeps (the journal, every log line with its stack) is not the library's.
      journal.entries.clear();
      logger.lines.length = 0;
      const heapAfter = heapAfterGc();

      const report = {
        date: new Date().toISOString(),
        machine: `${hostname()} (${cpus()[0]?.model ?? 'cpu'}, ${cpus().length} cores), Node ${process.version}`,
        adapter,
        requests: REQUESTS + 11,
        clientAborts: aborted,
        seconds: (Date.now() - started) / 1000,
        tasksAdded: ledger.added,
        outcomes: ledger.counts,
        selfReported: ledger.selfReported,
        heapGrowthMb: Number(((heapAfter - heapBefore) / 1024 / 1024).toFixed(2)),
        processErrors: processErrors.length,
        libraryErrorLines: errorLines,
      };
      console.log(`soak ledger (${adapter}):\n${JSON.stringify(report, null, 2)}`);
      if (REPORT) {
        mkdirSync(dirname(REPORT), { recursive: true });
        writeFileSync(REPORT.replace('{adapter}', adapter), `${JSON.stringify(report, null, 2)}\n`);
      }

      expect(ledger.problems).toEqual([]);
      expect(Object.values(ledger.counts).reduce((a, b) => a + b, 0)).toBe(ledger.added);
      expect(ledger.counts.succeeded).toBe(ledger.selfReported.returned);
      expect(ledger.counts.failed).toBe(ledger.selfReported.threwLast);
      expect(ledger.counts.succeeded).toBeGreaterThan(0);
      expect(ledger.counts.failed).toBeGreaterThan(0);
      expect(ledger.counts['timed-out']).toBeGreaterThan(0);
      expect(ledger.counts.dropped).toBeGreaterThan(0);
      expect(ledger.counts.abandoned).toBeGreaterThan(0);
      expect(processErrors).toEqual([]);
      expect(report.heapGrowthMb).toBeLessThan(8);
    } finally {
      process.off('unhandledRejection', onProcessError);
      process.off('uncaughtException', onProcessError);
    }
  }, 120_000);
});
