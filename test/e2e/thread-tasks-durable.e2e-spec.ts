import { Controller, HttpCode, Injectable, Module, Param, ParseIntPipe, Post } from '@nestjs/common';
import { threadId } from 'node:worker_threads';
import { BackgroundTask, BackgroundTasks, BackgroundTasksModule, ThreadTaskPool, type TaskEndInfo } from '../../lib/index.js';
import { double, untilAborted } from '../fixtures/threads/thread-tasks.mjs';
import { startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/** What the handlers got back from their thread tasks, awaitable. */
class Results {
  readonly values: unknown[] = [];
  private waiters: (() => void)[] = [];

  push(value: unknown): void {
    this.values.push(value);
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  async count(n: number): Promise<unknown[]> {
    while (this.values.length < n) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.values;
  }
}

/** Durable handlers, run by the BullMQ worker, that hand their CPU-heavy part to the worker's thread pool. */
@Injectable()
class ReportJobs {
  static readonly results = new Results();

  constructor(private readonly threads: ThreadTaskPool) {}

  @BackgroundTask('reports.double')
  async double(value: number): Promise<void> {
    ReportJobs.results.push(await this.threads.run(double, value));
  }

  @BackgroundTask('reports.until-aborted')
  async untilAborted(signal: AbortSignal): Promise<void> {
    ReportJobs.results.push(await this.threads.runAbortable(untilAborted, signal));
  }
}

@Controller('reports')
class ReportsController {
  constructor(
    private readonly tasks: BackgroundTasks,
    private readonly jobs: ReportJobs,
  ) {}

  @Post('double/:value')
  @HttpCode(202)
  double(@Param('value', ParseIntPipe) value: number): void {
    this.tasks.addTask(this.jobs.double, value);
  }

  @Post('slow')
  @HttpCode(202)
  slow(): void {
    this.tasks.with({ timeout: 300 }).addAbortableTask(this.jobs.untilAborted);
  }
}

describe('thread tasks on a durable worker (real Redis)', () => {
  const processErrors = watchProcessErrors();
  let redis: RedisServer;
  let running: RunningApp | undefined;
  let counter = 0;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
    expect(processErrors.errors).toEqual([]);
  });

  async function start(ends: TaskEndInfo[]): Promise<RunningApp> {
    @Module({
      imports: [
        BackgroundTasksModule.forRoot({
          durable: { connection: redis.connection, queueName: `thread-tasks-${++counter}` },
          threads: { maxThreads: 1 },
          onTaskEnd: (info) => void ends.push(info),
        }),
      ],
      controllers: [ReportsController],
      providers: [ReportJobs],
    })
    class DurableThreadsModule {}
    running = await startApp(DurableThreadsModule);
    return running;
  }

  it("a durable handler awaits a thread task in its worker's pool and gets its result back", async () => {
    const ends: TaskEndInfo[] = [];
    const { url, app } = await start(ends);
    expect((await send(`${url}/reports/double/21`, 'POST')).status).toBe(202);
    const [result] = (await ReportJobs.results.count(1)) as { value: number; threadId: number }[];
    expect(result.value).toBe(42);
    expect(result.threadId).not.toBe(threadId);
    expect(ends).toMatchObject([{ name: 'reports.double', outcome: 'enqueued' }]);
    const pool = app.get(ThreadTaskPool);
    await app.close();
    running = undefined;
    // The worker's drain ended its pool too.
    expect(pool.threads).toBe(0);
  });

  it("the durable attempt's timeout reaches the thread task through runAbortable", async () => {
    const { url } = await start([]);
    // A warm thread first (the worker's pool has one by default on 2 cores; maxThreads: 1 below makes
    // sure): a cold start on a busy machine could outlast the 300 ms timeout.
    const warm = ReportJobs.results.values.length;
    expect((await send(`${url}/reports/double/1`, 'POST')).status).toBe(202);
    await ReportJobs.results.count(warm + 1);
    const before = ReportJobs.results.values.length;
    expect((await send(`${url}/reports/slow`, 'POST')).status).toBe(202);
    const values = await ReportJobs.results.count(before + 1);
    expect(values[before]).toBe('TimeoutError');
  });
});
