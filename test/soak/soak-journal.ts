import type { TaskEndInfo, TaskOutcome } from '../../lib/index.js';

export type Behaviour = 'succeed' | 'throw' | 'reject' | 'hang' | 'flaky' | 'always-fails' | 'slow';
type AttemptEnd = 'ok' | 'threw' | 'hung';

interface Entry {
  behaviour: Behaviour;
  attempts: AttemptEnd[];
  started: number;
  outcomes: TaskOutcome[];
  cancelledByHandler: boolean;
}

/**
 * What the soak's tasks did, written by the tasks themselves, next to what the library reported
 * (`onTaskEnd`). The ledger compares the two.
 */
export class SoakJournal {
  readonly entries = new Map<string, Entry>();
  /** The last requests add only tasks that outlive the drain deadline. */
  finalWave = false;

  added(name: string, behaviour: Behaviour): void {
    if (this.entries.has(name)) throw new Error(`soak bug: ${name} added twice`);
    this.entries.set(name, { behaviour, attempts: [], started: 0, outcomes: [], cancelledByHandler: false });
  }

  attemptStarted(name: string): number {
    const entry = this.entry(name);
    return ++entry.started;
  }

  attemptEnded(name: string, how: AttemptEnd): void {
    this.entry(name).attempts.push(how);
  }

  cancelledByHandler(name: string): void {
    this.entry(name).cancelledByHandler = true;
  }

  ended(info: TaskEndInfo): void {
    this.entry(info.name).outcomes.push(info.outcome);
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`soak bug: unknown task ${name}`);
    return entry;
  }

  /**
   * Every task with exactly one outcome, and each outcome agreeing with what the task did:
   * succeeded <=> its last attempt returned; failed <=> its last attempt threw; timed-out <=> its last
   * attempt hung; dropped/cancelled <=> it never started; abandoned <=> it never finished an attempt
   * that returned or threw.
   */
  ledger() {
    const counts: Record<TaskOutcome, number> = {
      succeeded: 0,
      failed: 0,
      'timed-out': 0,
      cancelled: 0,
      dropped: 0,
      abandoned: 0,
      // Durable tasks only (handed to BullMQ); the soak's tasks are plain functions, so always 0.
      enqueued: 0,
    };
    const problems: string[] = [];
    const selfReported = { returned: 0, threwLast: 0, hungLast: 0, neverStarted: 0 };
    for (const [name, entry] of this.entries) {
      if (entry.outcomes.length !== 1) {
        problems.push(`${name}: ${entry.outcomes.length} outcomes (${entry.outcomes.join(', ')})`);
        continue;
      }
      const outcome = entry.outcomes[0];
      counts[outcome]++;
      const last = entry.attempts.at(-1);
      if (entry.started === 0) selfReported.neverStarted++;
      else if (last === 'ok') selfReported.returned++;
      else if (last === 'threw') selfReported.threwLast++;
      else selfReported.hungLast++;
      const agrees =
        (outcome === 'succeeded' && last === 'ok') ||
        (outcome === 'failed' && last === 'threw') ||
        (outcome === 'timed-out' && last === 'hung') ||
        ((outcome === 'dropped' || outcome === 'cancelled') && entry.started === 0) ||
        (outcome === 'abandoned' && (entry.started === 0 || last === 'hung'));
      if (!agrees) problems.push(`${name}: outcome ${outcome} but the task recorded ${entry.started} attempt(s), last ${last}`);
      if (entry.cancelledByHandler && outcome !== 'cancelled') problems.push(`${name}: cancelled by the handler, outcome ${outcome}`);
    }
    return { added: this.entries.size, counts, selfReported, problems };
  }
}
