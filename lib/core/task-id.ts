import { randomBytes } from 'node:crypto';

/**
 * Per process: ten random hex digits. With the counter after it, an id is unique across processes and
 * costs one short string per task (a UUID per task costs about ten times more). The `-` keeps it from
 * ever reading as an integer, which BullMQ refuses as a custom job id.
 */
const PROCESS_PREFIX = `${randomBytes(5).toString('hex')}-`;
let counter = 0;

/** The next task's sequence number in this process: 1, 2, 3... */
export function nextTaskSeq(): number {
  return ++counter;
}

/** A task's id: `<process prefix>-<sequence number in base 36>`. */
export function taskIdOf(seq: number): string {
  return PROCESS_PREFIX + seq.toString(36);
}

/** The sequence number of an id this process made; undefined for any other string. */
export function taskSeqOf(id: string): number | undefined {
  if (!id.startsWith(PROCESS_PREFIX) || id.length > PROCESS_PREFIX.length + 11) return undefined;
  const digits = id.slice(PROCESS_PREFIX.length);
  const seq = Number.parseInt(digits, 36);
  // The round trip refuses what parseInt forgives: upper case, a trailing non-digit, leading zeros.
  return Number.isSafeInteger(seq) && seq > 0 && seq.toString(36) === digits ? seq : undefined;
}
