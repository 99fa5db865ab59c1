import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import { describeError } from '../core/describe-error.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import type { TaskOwner } from '../core/task-owner.interface.js';
import { TaskRunner } from '../runner/task-runner.js';
import type { BullFlowProducer, BullQueue, DurableEngine } from './bullmq.types.js';
import { DURABLE_ENGINE } from './durable-engine.providers.js';
import { toJob } from './durable-job.payload.js';
import { flowsOf, planEnqueue } from './durable-flows.js';
import { DurableJobStore } from './durable-job.store.js';
import type { ResolvedDurableOptions } from '../runner/durable-options.resolver.js';
import type { DurableDispatcher } from '../core/durable-route.interface.js';
import { ENQUEUE_FAILED, ENQUEUE_TIMED_OUT, ENQUEUED } from './durable.messages.js';
import { settlesWithin } from '../core/settles-within.js';
import { OwnedRedisClients, REDIS_CLOSE_TIMEOUT } from './owned-redis-clients.js';
import { isRedisClient, queueTarget } from './queue-target.js';
import { reportRedisErrors } from './redis-error.reporter.js';

/** After the drain's own deadline: by then the drain has ended or abandoned every task. */
const CLOSE_GRACE = 1_000;

/**
 * Enqueues durable tasks: all those of one release in one `Queue.addBulk` (one Redis round trip). Each
 * task ends `enqueued` once Redis has it; when the enqueue fails or takes longer than
 * `enqueueTimeout`, `onEnqueueError` decides (run here, or fail), with an error line either way.
 * Closes the queue it created once the drain is over (a queue the user handed in stays open).
 */
@Injectable()
export class DurableProducer implements DurableDispatcher<ScheduledTask>, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  private queue?: BullQueue;
  private flows?: BullFlowProducer;
  private ownsQueue = false;
  private clients?: OwnedRedisClients;
  private deadline?: number;

  constructor(
    @Inject(DURABLE_ENGINE) private readonly engine: DurableEngine | undefined,
    private readonly runner: TaskRunner,
  ) {}

  private get durable(): ResolvedDurableOptions | undefined {
    return this.runner.options.durable;
  }

  /** After every module's init succeeded: an app that fails to start leaves no client reconnecting. */
  onApplicationBootstrap(): void {
    const durable = this.durable;
    const engine = this.engine;
    if (durable === undefined || engine === undefined || this.queue !== undefined) return;
    if (durable.queue !== undefined) {
      this.queue = durable.queue as BullQueue;
      this.runner.useDurableJobs(new DurableJobStore(this.queue, queueTarget(durable), this.logger));
      return;
    }
    const target = queueTarget(durable);
    let connection = target.connection;
    if (engine.Redis !== undefined && !isRedisClient(connection)) {
      // From options, the client is ours: it fails fast while Redis is unreachable (no offline queue:
      // the request's tasks get their fallback at once rather than after enqueueTimeout), and it can be
      // cut at shutdown even while Redis is down.
      this.clients = new OwnedRedisClients(engine.Redis);
      connection = this.clients.create(connection, { enableOfflineQueue: false });
    }
    this.queue = new engine.bullmq.Queue(target.name, { connection, ...(target.prefix ? { prefix: target.prefix } : {}) });
    this.ownsQueue = true;
    reportRedisErrors(this.queue, this.logger, target.name, 'queue');
    this.runner.useDurableJobs(new DurableJobStore(this.queue, target, this.logger));
  }

  /** Never rejects: every task leaves with an outcome. */
  async dispatch(tasks: readonly ScheduledTask[], batch: TaskOwner): Promise<void> {
    try {
      await this.enqueue(tasks, batch);
    } catch (error) {
      try {
        await this.fallBack(tasks, batch, error);
      } catch (bug) {
        // Only a bug of this library lands here; the tasks still get an outcome.
        for (const task of tasks) this.runner.end(task, batch, 'failed', { error: bug });
      }
    }
  }

  beforeApplicationShutdown(): void {
    this.deadline = Date.now() + this.runner.options.drainTimeout;
  }

  /** Pass 2 of the drain may still enqueue: the queue closes once every batch is done or abandoned. */
  async onApplicationShutdown(): Promise<void> {
    const queue = this.queue;
    // A queue of the user's stays open; a flow producer of ours (made on the first flow) closes.
    if (queue === undefined || (!this.ownsQueue && this.flows === undefined)) return;
    const deadline = (this.deadline ?? Date.now() + this.runner.options.drainTimeout) + CLOSE_GRACE;
    await this.runner.whenIdle('all', deadline);
    const flows = this.flows;
    this.flows = undefined;
    if (flows !== undefined) await settlesWithin(flows.close().catch(() => undefined), REDIS_CLOSE_TIMEOUT);
    if (!this.ownsQueue) return;
    this.queue = undefined;
    // BullMQ's close waits on Redis: a hung one would hold app.close() for good. Past the bound the
    // clients are cut and BullMQ's close is left to settle (or not) on its own.
    if (await settlesWithin(queue.close(), REDIS_CLOSE_TIMEOUT)) await this.clients?.close();
    else this.clients?.disconnect();
  }

  private async enqueue(tasks: readonly ScheduledTask[], batch: TaskOwner): Promise<void> {
    const durable = this.durable as ResolvedDurableOptions;
    const queue = this.queue;
    if (queue === undefined) throw new Error('durable mode is not configured in this app');
    const request = batch.requestInfo();
    const jobOf = (task: ScheduledTask) => toJob(task, task.durable!.handler, request, durable);
    const plan = planEnqueue(tasks);
    for (const [task, reason] of plan.dropped) this.runner.end(task, batch, 'dropped', { reason });
    const target = queueTarget(durable);
    // Dependents and their dependencies go as BullMQ flows, in one call; the others in one addBulk.
    const flows = flowsOf(plan.flows, tasks, jobOf, target);
    const adds = [
      plan.jobs.length > 0 ? queue.addBulk(plan.jobs.map(jobOf)) : undefined,
      flows.length > 0 ? this.flowProducer().addBulk(flows) : undefined,
    ];
    await this.withTimeout(Promise.all(adds), durable.enqueueTimeout);
    for (const task of tasks) this.runner.end(task, batch, 'enqueued');
    this.logger.debug(ENQUEUED(tasks.length, durable.queueName, request));
  }

  /** Made on the first flow, on the queue's connection (a client of ours, or the user's queue's). */
  private flowProducer(): BullFlowProducer {
    if (this.flows !== undefined) return this.flows;
    const target = queueTarget(this.durable as ResolvedDurableOptions);
    const connection = this.clients?.create(target.connection, { enableOfflineQueue: false }) ?? target.connection;
    this.flows = new this.engine!.bullmq.FlowProducer({ connection, ...(target.prefix ? { prefix: target.prefix } : {}) });
    reportRedisErrors(this.flows, this.logger, target.name, 'flow producer');
    return this.flows;
  }

  private async fallBack(tasks: readonly ScheduledTask[], batch: TaskOwner, error: unknown): Promise<void> {
    const durable = this.durable as ResolvedDurableOptions;
    const names = tasks.map((task) => task.name);
    this.logger.error(
      ENQUEUE_FAILED(names, durable.queueName, batch.requestInfo(), describeError(error).message, durable.onEnqueueError),
    );
    if (durable.onEnqueueError === 'fail') {
      for (const task of tasks) this.runner.end(task, batch, 'failed', { error });
      return;
    }
    // One after another, in the order added, as the request's in-process tasks run.
    for (const task of tasks) await this.runner.execute(task, batch);
  }

  private withTimeout<T>(work: Promise<T>, timeout: number): Promise<T> {
    // The enqueue may still settle after the deadline: keep that from becoming an unhandled rejection.
    work.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(ENQUEUE_TIMED_OUT(timeout))), timeout);
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
  }
}
