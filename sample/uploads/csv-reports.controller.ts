import { BadRequestException, Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { BackgroundTasks } from 'nestjs-background-tasks';
import { sampleConfig } from '../common/sample.config.js';
import { renderUploadReport } from './render-upload-report.task.js';

@Controller('csv-reports')
export class CsvReportsController {
  constructor(private readonly tasks: BackgroundTasks) {}

  /**
   * Accepts a CSV upload (`{ "csv": "3,1,2\n..." }`), answers 202 Accepted with its id, and renders its
   * report in a worker thread after the response: the event loop stays free for other requests.
   */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  upload(@Body() body: { csv?: unknown }) {
    if (typeof body?.csv !== 'string') throw new BadRequestException('expected a JSON body { "csv": "..." }');
    const id = randomUUID();
    this.tasks.with({ timeout: 30_000 }).addAbortableTask(renderUploadReport, id, body.csv, sampleConfig.dataDir);
    return { id, status: 'accepted' };
  }
}
