import { Body, Controller, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { BackgroundTasks } from 'nestjs-background-tasks';
import { MailerService } from './mailer.service.js';

@Controller()
export class AppController {
  constructor(
    private readonly tasks: BackgroundTasks,
    private readonly mailer: MailerService,
  ) {}

  @Post('signup')
  signup(@Body() body: { email: string }, @Res({ passthrough: true }) res: Response) {
    // The task reads the response's state when it runs: it must already be sent.
    this.tasks.addTask(() => this.mailer.sendWelcome(body.email, res.writableFinished));
    return { ok: true };
  }
}
