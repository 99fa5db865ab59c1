import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { BackgroundTasks } from 'nestjs-background-tasks';
import { AuditService } from '../audit/audit.service.js';
import { buildReport } from './report-builder.js';

@Controller('reports')
export class ReportsController {
  constructor(
    private readonly tasks: BackgroundTasks,
    private readonly audit: AuditService,
  ) {}

  /** Answers 202 Accepted with the report's id; the report is built after the response. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  create(@Body() body: { period?: string }) {
    const id = randomUUID();
    this.tasks.addTask(buildReport, id, body?.period ?? 'this-month');
    this.audit.record('report-requested');
    return { id, status: 'accepted' };
  }
}
