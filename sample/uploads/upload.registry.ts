import { Injectable } from '@nestjs/common';
import type { Upload } from './upload-processing.js';

/** Uploads remembered for their status and cancel endpoints: the latest ones only. */
const MAX_UPLOADS = 1_000;

/**
 * The uploads by id, in a singleton of their own: `UploadsService` injects `BackgroundTasks`, so under the
 * default request scope it is rebuilt per request and cannot keep them.
 */
@Injectable()
export class UploadRegistry {
  private readonly uploads = new Map<string, Upload>();

  add(upload: Upload): void {
    this.uploads.set(upload.id, upload);
    if (this.uploads.size > MAX_UPLOADS) this.uploads.delete(this.uploads.keys().next().value as string);
  }

  chunkIdsOf(id: string): readonly string[] {
    return this.uploads.get(id)?.chunkIds ?? [];
  }
}
