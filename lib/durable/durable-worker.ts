import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import { describeError } from '../core/describe-error.js';
import { TaskRunner } from '../runner/task-runner.js';
import type { BullSubscriber, BullWorker, DurableEngine } from './bullmq.types.js';
import { DURABLE_ENGINE } from './durable-engine.providers.js';
import { DurableJobProcessor } from './durable-job.processor.js';
import { JOB_STALLED, NO_HANDLERS, WORKER_DRAINING } from './durable.messages.js';
import { settlesWithin } from '../core/settles-within.js';
import { OwnedRedisClients, REDIS_CLOSE_TIMEOUT } from './owned-redis-clients.js';
import { isIoRedis, isRedisClient, queueTarget } from './queue-target.js';
import { reportRedisErrors } from './redis-error.reporter.js';
import { TaskHandlerExplorer } from './task-handler.explorer.js';
import { CANCELLED_BY_ID_REASON, cancelChannel, redisClientOf } from './job-cancellation.js';

/**
 * The BullMQ worker of this app, when `durable.worker` is on: started once the app has bootstrapped,
 * closed at shutdown before the app's own `onApplicationShutdown` hooks (its jobs may still need the
 * database pool), after its running jobs have finished, up to `drainTimeout`.
 */
@Injectable()
export class DurableWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  private worker?: BullWorker;
  private processor?: DurableJobProcessor;
  private clients?: OwnedRedisClients;
  /** Listens for `BackgroundTasksTracker.cancel()` of jobs this worker may run. */
  private canceller?: BullSubscriber;

  constructor(
    @Inject(DURABLE_ENGINE) private readonly engine: DurableEngine | undefined,
    private readonly runner: TaskRunner,
    private readonly handlers: TaskHandlerExplorer,
  ) {}

  onApplicationBootstrap(): void {
    const durable = this.runner.options.durable;
    const bullmq = this.engine?.bullmq;
    if (durable?.worker === undefined || bullmq === undefined || this.worker !== undefined) return;
    const target = queueTarget(durable);
    if (this.handlers.size === 0) {
      // It could only fail every job it took (no handler to run them): leave them to workers that can.
      this.logger.warn(NO_HANDLERS(target.name));
      return;
    }
    const processor = new DurableJobProcessor(this.handlers, this.runner, this.logger, target.name, bullmq.UnrecoverableError);
    const { concurrency, lockDuration, stalledInterval, maxStalledCount } = durable.worker;
    this.processor = processor;
    let connection = target.connection;
    const Redis = this.engine?.Redis;
    if (Redis !== undefined && (!isRedisClient(connection) || isIoRedis(connection))) {
      this.clients = new OwnedRedisClients(Redis);
      connection = this.clients.template(connection);
    }
    this.worker = new bullmq.Worker(target.name, (job, _token, signal) => processor.process(job, signal), {
      connection,
      ...(target.prefix ? { prefix: target.prefix } : {}),
      concurrency,
      ...(lockDuration !== undefined ? { lockDuration } : {}),
      ...(stalledInterval !== undefined ? { stalledInterval } : {}),
      ...(maxStalledCount !== undefined ? { maxStalledCount } : {}),
      settings: { backoffStrategy: processor.backoff },
    });
    const worker = this.worker as { createJob?: (raw: Record<string, unknown>, id?: string) => object };
    if (typeof worker.createJob === 'function') worker.createJob = processor.readJob(worker.createJob.bind(worker));
    reportRedisErrors(this.worker, this.logger, target.name, 'worker');
    this.worker.on('stalled', (jobId: string) => this.logger.warn(JOB_STALLED(jobId, target.name)));
    this.worker.on('completed', (job) => processor.settled(job?.id));
    this.worker.on('failed', (job) => processor.settled(job?.id));
    void this.listenForCancels(this.worker, target);
  }

  /** One more connection: a subscriber to the queue's cancel channel, so any process can cancel a job here. */
  private async listenForCancels(worker: BullWorker, target: ReturnType<typeof queueTarget>): Promise<void> {
    try {
      const subscriber = (await redisClientOf(worker)).duplicate();
      if (this.worker !== worker) return subscriber.disconnect();
      this.canceller = subscriber;
      subscriber.on('error', () => undefined); // the worker's own connection reports Redis failures
      subscriber.on('message', (_channel, jobId) => worker.cancelJob?.(jobId, CANCELLED_BY_ID_REASON));
      await subscriber.subscribe(cancelChannel(target));
    } catch (error) {
      // Closed before it could listen: nothing to cancel any more.
      if (this.worker !== worker) return;
      this.logger.error(`Cancelling durable tasks by id is unavailable on queue "${target.name}": ${describeError(error).message}`);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    const processor = this.processor;
    if (worker === undefined || processor === undefined) return;
    this.worker = undefined;
    this.canceller?.disconnect();
    this.canceller = undefined;
    if (!processor.busy) {
      // Nothing to wait for: no goodbyes to Redis either, which could wait forever while it is down or hung.
      await settlesWithin(worker.close(true), REDIS_CLOSE_TIMEOUT);
      this.clients?.disconnect();
      return;
    }
    const timeout = this.runner.options.drainTimeout;
    this.logger.log(WORKER_DRAINING(processor.running, timeout));
    // Stops taking jobs and waits for the running ones, and for BullMQ to record them.
    const closed = worker.close().then(
      () => true,
      (error: unknown) => {
        this.logger.error(`Closing the durable worker failed: ${describeError(error).message}`);
        return true;
      },
    );
    // drainTimeout Infinity waits as long as the jobs run; Redis goodbyes are bounded all the same.
    const inTime = await settlesWithin(closed, timeout);
    if (inTime) {
      await this.clients?.close();
      return;
    }
    // Cut the connections first, so that nothing marks the abandoned jobs failed or done: they stay
    // active in Redis until their lock expires, and another worker runs them again. BullMQ's own close
    // may never finish now; nothing waits for it.
    this.clients?.disconnect();
    processor.abandonAll();
  }
}
