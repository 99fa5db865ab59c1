import { Module } from '@nestjs/common';
import { BackgroundTasksModule } from 'nestjs-background-tasks';
import { AppController } from './app.controller';
import { MailerService } from './mailer.service';

@Module({
  imports: [BackgroundTasksModule.forRoot()],
  controllers: [AppController],
  providers: [MailerService],
})
export class AppModule {}
