import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import { DRAINED, DRAINING } from '../core/background-tasks.messages.js';
import { TaskRunner } from './task-runner.js';

/**
 * Graceful shutdown in two passes under one deadline: before the server closes, wait for tasks already
 * released; after it has closed (requests in flight have finished and may have added tasks), wait for
 * everything, then abandon what is left. A singleton: Nest never calls hooks on request-scoped instances.
 */
@Injectable()
export class TaskDrainer implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  private deadline?: number;
  private announced = false;
  /** Set while a drain is under way (health checks report it); with what it began with, for `onDrain`. */
  private drainStart?: { at: number; outstanding: number };

  constructor(private readonly runner: TaskRunner) {}

  /** True from the start of the shutdown drain to its end. */
  get draining(): boolean {
    return this.drainStart !== undefined;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.deadline = Date.now() + this.runner.options.drainTimeout;
    this.begin();
    this.announce();
    await this.runner.whenIdle('released', this.deadline);
  }

  async onApplicationShutdown(): Promise<void> {
    const deadline = this.deadline ?? Date.now() + this.runner.options.drainTimeout;
    this.deadline = undefined;
    this.begin();
    this.announce();
    const drained = await this.runner.whenIdle('all', deadline);
    let abandoned = 0;
    if (drained) {
      if (this.announced) this.logger.log(DRAINED);
    } else {
      abandoned = this.runner.outstanding;
      this.runner.abandonAll();
    }
    this.announced = false;
    this.end(drained, abandoned);
    this.runner.close();
  }

  private begin(): void {
    this.drainStart ??= { at: performance.now(), outstanding: this.runner.outstanding };
  }

  private end(drained: boolean, abandoned: number): void {
    const start = this.drainStart ?? { at: performance.now(), outstanding: 0 };
    this.drainStart = undefined;
    this.runner.events.emitDrain({
      outcome: drained ? 'drained' : 'deadline',
      outstandingAtStart: start.outstanding,
      abandoned,
      durationMs: performance.now() - start.at,
    });
  }

  private announce(): void {
    const count = this.runner.outstanding;
    if (count === 0 || this.announced) return;
    this.announced = true;
    this.logger.log(DRAINING(count, this.runner.options.drainTimeout));
  }
}
