import { performance } from 'node:perf_hooks';
import {
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import { DRAINED, DRAINING } from '../core/background-tasks.messages.js';
import { startTimer, stopTimer, type TimerHandle } from '../core/long-timer.js';
import { HttpConnectionCloser } from './http-connection-closer.js';
import { TaskRunner } from './task-runner.js';

/**
 * Graceful shutdown in two passes under one deadline: before the server closes, wait for tasks already
 * released; after it has closed (requests in flight have finished and may have added tasks), wait for
 * everything, then abandon what is left. A singleton: Nest never calls hooks on request-scoped instances.
 * The HTTP server's own close is bounded by the same deadline (`HttpConnectionCloser`), and from the
 * deadline on, tasks added are dropped and logged (`TaskRunner.refuseLateTasks`).
 */
@Injectable()
export class TaskDrainer implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  private deadline?: number;
  private announced = false;
  /** Set while a drain is under way (health checks report it); with what it began with, for `onDrain`. */
  private drainStart?: { at: number; outstanding: number };
  private readonly connections = new HttpConnectionCloser();
  /** Fires at the deadline; kept referenced, like every timer the drain depends on. */
  private deadlineTimer?: TimerHandle;

  constructor(
    private readonly runner: TaskRunner,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  /** True from the start of the shutdown drain to its end. */
  get draining(): boolean {
    return this.drainStart !== undefined;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.deadline = Date.now() + this.runner.options.drainTimeout;
    this.begin(this.deadline);
    this.announce();
    if (!(await this.runner.whenIdle('released', this.deadline))) this.deadlineReached();
  }

  async onApplicationShutdown(): Promise<void> {
    const deadline = this.deadline ?? Date.now() + this.runner.options.drainTimeout;
    this.deadline = undefined;
    this.begin(deadline);
    this.announce();
    const drained = await this.runner.whenIdle('all', deadline);
    let abandoned = 0;
    if (drained) {
      if (this.announced) this.logger.log(DRAINED);
    } else {
      this.deadlineReached();
      abandoned = this.runner.outstanding;
      this.runner.abandonAll();
    }
    this.announced = false;
    stopTimer(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.connections.end();
    this.end(drained, abandoned);
    this.runner.close();
    // Last: thread tasks abandoned at the deadline are cut off with their threads; no thread outlives the app.
    await this.runner.threads?.close();
  }

  private begin(deadline = Date.now() + this.runner.options.drainTimeout): void {
    if (this.drainStart !== undefined) return;
    this.drainStart = { at: performance.now(), outstanding: this.runner.outstanding };
    this.connections.begin(this.adapterHost?.httpAdapter?.getHttpServer?.());
    // Infinity (no deadline) arms no timer; a deadline past setTimeout's range is chained, not 1 ms.
    this.deadlineTimer = startTimer(() => this.deadlineReached(), deadline - Date.now());
  }

  /** From the deadline on no request is answered (its connection is cut) and no task is queued. */
  private deadlineReached(): void {
    this.runner.refuseLateTasks();
    this.connections.cutAll();
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
