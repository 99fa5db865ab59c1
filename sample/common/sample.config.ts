import { join } from 'node:path';

/** Where the sample writes its files, and how slow its fake mail server is: all from the environment. */
export const sampleConfig = {
  port: Number(process.env.PORT ?? 3000),
  dataDir: process.env.SAMPLE_DATA_DIR ?? join(process.cwd(), '.tmp', 'sample'),
  mailDelayMs: Number(process.env.SAMPLE_MAIL_DELAY_MS ?? 1500),
  reportStepMs: Number(process.env.SAMPLE_REPORT_STEP_MS ?? 400),
  /** Lines per chunk of an upload, and how long counting one chunk takes. */
  chunkLines: Number(process.env.SAMPLE_CHUNK_LINES ?? 2),
  chunkDelayMs: Number(process.env.SAMPLE_CHUNK_DELAY_MS ?? 300),
  /** Set: welcome e-mails go through BullMQ on this Redis and `npm run sample:worker` sends them. */
  redisUrl: process.env.REDIS_URL || undefined,
};
