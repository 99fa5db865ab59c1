import { Injectable } from '@nestjs/common';
import { BackgroundTasks, type TaskHandle } from 'nestjs-background-tasks';
import { sampleConfig } from '../common/sample.config.js';
import { countChunk, writeUploadReport, type Upload } from './upload-processing.js';
import { UploadRegistry } from './upload.registry.js';

/**
 * Splits an upload into chunks counted in parallel (fan-out: `concurrency` in `forRoot`), then writes its
 * report once all of them succeeded (fan-in: `with({ after })`). The report task's id is the upload's id.
 */
@Injectable()
export class UploadsService {
  constructor(
    private readonly tasks: BackgroundTasks,
    private readonly registry: UploadRegistry,
  ) {}

  start(text: string): TaskHandle {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const upload: Upload = { id: '', chunkIds: [], words: [] };
    const chunks: TaskHandle[] = [];
    for (let start = 0, index = 0; start < lines.length; start += sampleConfig.chunkLines, index++) {
      const part = lines.slice(start, start + sampleConfig.chunkLines);
      chunks.push(this.tasks.with({ name: `upload-chunk-${index}` }).addAbortableTask(countChunk, upload, index, part));
    }
    const report = this.tasks.with({ name: 'upload-report', after: chunks }).addTask(writeUploadReport, upload);
    // The tasks run after the response: the id is in place before any of them reads it.
    upload.id = report.id;
    upload.chunkIds.push(...chunks.map((chunk) => chunk.id));
    this.registry.add(upload);
    return report;
  }
}
