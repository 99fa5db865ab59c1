// `param-decorator-lean`: the fastest way in. `@Tasks()` with `globalInterceptor: false`: no interceptor,
// the parameter arms the batch and the response's status tells the outcome. Goals 1 and 4. The same
// controller as `param-decorator`; only the module's options differ.
import { Module } from '@nestjs/common';
import { BackgroundTasksModule } from 'nestjs-background-tasks';
import { TaskController } from './param-decorator.js';

@Module({ imports: [BackgroundTasksModule.forRoot({ globalInterceptor: false })], controllers: [TaskController] })
export class AppModule {}
