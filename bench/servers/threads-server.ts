/**
 * `node threads-server.js`: the app of bench/threads.mjs on 127.0.0.1 (Express). `POST /burn/loop` and
 * `POST /burn/thread` add a task that burns `BURN_MS` of CPU, on the event loop or in a worker thread;
 * `GET /plain` is the concurrent route whose latency is measured; `POST /noop/:n` adds n no-op thread
 * tasks and `GET /noop` answers the ms from the first added to the last ended. Prints `READY {"port"}`.
 */
import 'reflect-metadata';
import { Controller, Get, Module, Param, ParseIntPipe, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BackgroundTasks, BackgroundTasksModule } from 'nestjs-background-tasks';
import { burn, burnInThread, noop } from './burn.task.js';

const BURN_MS = Number(process.env.BURN_MS ?? 50);
const noops = { target: 0, ended: 0, startedAt: 0, endedAt: 0, waiters: [] as (() => void)[] };

@Controller()
class ThreadsBenchController {
  constructor(private readonly tasks: BackgroundTasks) {}

  @Get('plain')
  plain(): string {
    return 'ok';
  }

  @Post('burn/loop')
  burnOnLoop(): void {
    this.tasks.addTask(burn, BURN_MS);
  }

  @Post('burn/thread')
  burnInThread(): void {
    this.tasks.addTask(burnInThread, BURN_MS);
  }

  @Post('noop/:n')
  addNoops(@Param('n', ParseIntPipe) n: number): void {
    Object.assign(noops, { target: n, ended: 0, startedAt: performance.now() });
    for (let i = 0; i < n; i++) this.tasks.addTask(noop);
  }

  @Get('noop')
  async noopsDone(): Promise<{ tasks: number; ms: number }> {
    while (noops.ended < noops.target) await new Promise<void>((resolve) => noops.waiters.push(resolve));
    return { tasks: noops.target, ms: noops.endedAt - noops.startedAt };
  }
}

function ended(name: string): void {
  if (name !== 'noop' || ++noops.ended < noops.target) return;
  noops.endedAt = performance.now();
  for (const wake of noops.waiters.splice(0)) wake();
}

@Module({
  imports: [
    BackgroundTasksModule.forRoot({
      concurrency: Infinity,
      maxConcurrent: 256,
      maxQueued: 1_000_000,
      loopBlockWarning: false,
      onTaskEnd: (info) => {
        if (process.env.BENCH_DEBUG) console.log(`END ${info.name} ${info.outcome} ${info.durationMs}`);
        ended(info.name);
      },
    }),
  ],
  controllers: [ThreadsBenchController],
})
class ThreadsBenchModule {}

const app = await NestFactory.create(ThreadsBenchModule, { logger: ['error', 'warn'] });
await app.listen(0, '127.0.0.1');
console.log(`READY ${JSON.stringify({ port: (app.getHttpServer().address() as { port: number }).port })}`);
process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
