import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Logs when each response has actually left, so the log shows tasks finishing after it. */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  private readonly logger = new Logger('HTTP');

  use(req: IncomingMessage, res: ServerResponse, next: () => void) {
    const started = performance.now();
    res.on('finish', () => {
      const ms = (performance.now() - started).toFixed(1);
      this.logger.log(`${req.method} ${req.url} -> ${res.statusCode} sent in ${ms} ms`);
    });
    next();
  }
}
