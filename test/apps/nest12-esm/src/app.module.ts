import { Module } from '@nestjs/common';
import { BackgroundTasksModule } from 'nestjs-background-tasks';
import { AppController } from './app.controller.js';
import { MailerService } from './mailer.service.js';

@Module({
  imports: [BackgroundTasksModule.forRoot()],
  controllers: [AppController],
  providers: [MailerService],
})
export class AppModule {}
