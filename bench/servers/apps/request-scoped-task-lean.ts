// `request-scoped-task-lean`: the card's request-scoped BackgroundTasks with `globalInterceptor: false`,
// addTask(noopTask) per request. Goal 2 (vs request-scoped-no-task). The same controller as
// `request-scoped-task`; only the module's options differ.
import { Module } from '@nestjs/common';
import { BackgroundTasksModule } from 'nestjs-background-tasks';
import { TaskController } from './request-scoped-task.js';

@Module({ imports: [BackgroundTasksModule.forRoot({ globalInterceptor: false })], controllers: [TaskController] })
export class AppModule {}
