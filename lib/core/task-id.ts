import { randomBytes } from 'node:crypto';

/**
 * Per process: ten random hex digits. With the counter after it, an id is unique across processes and
 * costs one short string per task (a UUID per task costs about ten times more). The `-` keeps it from
 * ever reading as an integer, which BullMQ refuses as a custom job id.
 */
const PROCESS_PREFIX = `${randomBytes(5).toString('hex')}-`;
let counter = 0;

/** A new task id: `<process prefix>-<counter in base 36>`. */
export function nextTaskId(): string {
  return PROCESS_PREFIX + (++counter).toString(36);
}
