// A consumer of the package's types, checked under every module/moduleResolution setting by run.mjs.
// Decorators as Nest apps write them; both entry points; calls that must type-check and calls that must not.
import { Controller, Injectable, Module, Post, type INestApplication } from '@nestjs/common';
import {
  BackgroundTask,
  BackgroundTasks,
  BackgroundTasksModule,
  BackgroundTasksQueueFullError,
  Tasks,
  type BackgroundTasksModuleOptions,
  type TaskInfo,
  type TaskOptions,
} from 'nestjs-background-tasks';
import { BackgroundTasksTester, type RecordedTask } from 'nestjs-background-tasks/testing';

@Injectable()
export class Mailer {
  @BackgroundTask('send-welcome')
  async sendWelcome(to: string): Promise<void> {
    void to;
  }
}

@Controller('signup')
export class SignupController {
  constructor(
    private readonly tasks: BackgroundTasks,
    private readonly mailer: Mailer,
  ) {}

  @Post()
  signup(): { ok: boolean } {
    this.tasks.addTask((to: string, attempts: number) => this.mailer.sendWelcome(`${to}${attempts}`), 'ada@example.com', 1);
    const options: TaskOptions = { name: 'audit', timeout: 5_000, retries: 2 };
    this.tasks.with(options).addTask(async () => undefined);
    this.tasks.addAbortableTask((signal: AbortSignal, to: string) => signal.aborted || to, 'bob@example.com');
    // @ts-expect-error the arguments must match the task's parameters
    this.tasks.addTask((to: string) => to, 42);
    // @ts-expect-error a task is a function
    this.tasks.addTask('send-welcome');
    return { ok: true };
  }

  @Post('fast')
  fast(@Tasks() tasks: BackgroundTasks): void {
    tasks.addTask(() => undefined);
  }
}

const options: BackgroundTasksModuleOptions = {
  drainTimeout: 10_000,
  onTaskError: (error: unknown, task: TaskInfo) => void [error, task.name],
};

@Module({
  imports: [BackgroundTasksModule.forRoot(options)],
  controllers: [SignupController],
  providers: [Mailer],
})
export class AppModule {}

export async function settle(app: INestApplication): Promise<readonly RecordedTask[]> {
  const tester = BackgroundTasksTester.of(app).setMode('record');
  await tester.idle();
  return tester.recorded;
}

export function isQueueFull(error: unknown): boolean {
  return error instanceof BackgroundTasksQueueFullError && error.maxQueued > 0 && error.taskName !== '';
}
