import type { Logger } from '@nestjs/common';
import { LOOP_BLOCK_WARNINGS_CAPPED, LOOP_BLOCKED } from '../core/background-tasks.messages.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskOwner } from '../core/task-owner.interface.js';

/** Most task names remembered as warned: names made per request (an id in the name) must not grow memory. */
export const MAX_LOOP_BLOCK_WARNINGS = 1000;

/**
 * Warns once per task name when a task's synchronous run (the time its function took to return, promise
 * or not) reached `loopBlockWarning` ms: the event loop served nothing else meanwhile.
 */
export class LoopBlockDetector {
  private readonly warned = new Set<string>();

  constructor(
    /** ms; `Infinity` when the warning is off (`loopBlockWarning: false`): the runner then reads no clock. */
    readonly threshold: number,
    private readonly logger: Logger,
  ) {}

  /** `ms` of synchronous run reached the threshold. */
  blocked(task: ScheduledTask, owner: TaskOwner, ms: number): void {
    if (this.warned.size >= MAX_LOOP_BLOCK_WARNINGS) return;
    const name = task.name;
    if (this.warned.has(name)) return;
    this.warned.add(name);
    this.logger.warn(LOOP_BLOCKED(name, owner.describe(), ms, this.threshold, task.options.timeout));
    if (this.warned.size === MAX_LOOP_BLOCK_WARNINGS) this.logger.warn(LOOP_BLOCK_WARNINGS_CAPPED(MAX_LOOP_BLOCK_WARNINGS));
  }
}
