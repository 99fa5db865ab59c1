import { Injectable, Logger } from '@nestjs/common';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BackgroundTasks } from 'nestjs-background-tasks';
import { sampleConfig } from '../common/sample.config.js';

async function writeAuditEntry(event: string, at: string): Promise<void> {
  await mkdir(sampleConfig.dataDir, { recursive: true });
  await appendFile(join(sampleConfig.dataDir, 'audit.log'), `${at} ${event}\n`);
  new Logger('Audit').log(`Recorded "${event}"`);
}

/** A service deep in the graph: it adds its own task to the same request's batch. */
@Injectable()
export class AuditService {
  constructor(private readonly tasks: BackgroundTasks) {}

  record(event: string): void {
    this.tasks.addTask(writeAuditEntry, event, new Date().toISOString());
  }
}
