import { Injectable, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { TaskRunner } from './task-runner.js';

/**
 * Graceful shutdown in two passes under one deadline: before the server closes, wait for tasks already
 * released; after it has closed (requests in flight have finished and may have added tasks), wait for
 * everything, then abandon what is left. A singleton: Nest never calls hooks on request-scoped instances.
 */
@Injectable()
export class TaskDrainer implements BeforeApplicationShutdown, OnApplicationShutdown {
  private deadline?: number;

  constructor(private readonly runner: TaskRunner) {}

  async beforeApplicationShutdown(): Promise<void> {
    this.deadline = Date.now() + this.runner.options.drainTimeout;
    await this.runner.whenIdle('released', this.deadline);
  }

  async onApplicationShutdown(): Promise<void> {
    const deadline = this.deadline ?? Date.now() + this.runner.options.drainTimeout;
    this.deadline = undefined;
    const drained = await this.runner.whenIdle('all', deadline);
    if (!drained) this.runner.abandonAll();
    this.runner.close();
  }
}
