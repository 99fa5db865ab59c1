// `bullmq-enqueue`: durable mode. The handler adds a `@BackgroundTask` handler per request; after the
// response the library enqueues it to BullMQ (one addBulk per request). No worker in this process: the
// bench measures what enqueueing costs the web process. Needs REDIS_URL.
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { BackgroundTask, BackgroundTasks, BackgroundTasksModule, Tasks } from 'nestjs-background-tasks';
import { BODY, ROUTE, taskCounter } from '../task-counter.js';

@Injectable()
class BenchHandlers {
  @BackgroundTask('bench.noop')
  noop(): void {
    taskCounter.ran++;
  }
}

@Controller()
class TaskController {
  constructor(private readonly handlers: BenchHandlers) {}

  @Get(ROUTE)
  get(@Tasks() tasks: BackgroundTasks) {
    taskCounter.added++;
    tasks.addTask(this.handlers.noop);
    return BODY;
  }
}

@Module({
  imports: [
    BackgroundTasksModule.forRoot({
      durable: { connection: { url: process.env.REDIS_URL }, worker: false, removeOnComplete: true, removeOnFail: true },
    }),
  ],
  controllers: [TaskController],
  providers: [BenchHandlers],
})
export class AppModule {}
