import { BadRequestException, Body, Controller, Delete, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { BackgroundTasksTracker } from 'nestjs-background-tasks';
import { UploadRegistry } from './upload.registry.js';
import { UploadsService } from './uploads.service.js';

/** What a handler needs of the response to set a header (Express and Fastify both have it). */
interface HeaderTarget {
  setHeader?(name: string, value: string): unknown;
  header?(name: string, value: string): unknown;
}

@Controller('uploads')
export class UploadsController {
  constructor(
    private readonly uploads: UploadsService,
    private readonly registry: UploadRegistry,
    private readonly tracker: BackgroundTasksTracker,
  ) {}

  /** 202 Accepted with the status URL: the text is counted in chunks, in parallel, after the response. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  upload(@Body() body: { text?: unknown }, @Res({ passthrough: true }) response: HeaderTarget) {
    if (typeof body?.text !== 'string' || body.text.trim() === '') throw new BadRequestException('text is required');
    const { id } = this.uploads.start(body.text);
    const statusUrl = `/uploads/status/${id}`;
    if (response.setHeader) response.setHeader('Location', statusUrl);
    else response.header?.('Location', statusUrl);
    return { id, statusUrl };
  }

  /** The report task's state, and each chunk's (`BackgroundTasksTracker.status`). */
  @Get('status/:id')
  async status(@Param('id') id: string) {
    const report = await this.tracker.status(id);
    if (report === undefined) throw new NotFoundException('no such upload (or it expired)');
    const chunks = await Promise.all(this.registry.chunkIdsOf(id).map((chunk) => this.tracker.status(chunk)));
    return { id, state: report.state, chunks: chunks.map((chunk) => chunk?.state ?? 'unknown') };
  }

  /** Cancels the report first (so it is not merely dropped), then every chunk: pending ones never run, running ones are signalled. */
  @Delete(':id')
  async cancel(@Param('id') id: string) {
    const report = await this.tracker.cancel(id);
    if (report === 'not-found') throw new NotFoundException('no such upload (or it expired)');
    const chunks = await Promise.all(this.registry.chunkIdsOf(id).map((chunk) => this.tracker.cancel(chunk)));
    return { id, report, chunks };
  }
}
