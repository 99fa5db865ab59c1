import { Injectable } from '@nestjs/common';
import { BackgroundTasks } from 'nestjs-background-tasks';
import { AuditService } from '../audit/audit.service.js';
import { Mailer } from './mailer.js';

@Injectable()
export class SignupService {
  constructor(
    private readonly tasks: BackgroundTasks,
    private readonly audit: AuditService,
    private readonly mailer: Mailer,
  ) {}

  register(email: string): { email: string; status: string } {
    // A method reference: it runs with the Mailer as `this`, here or on the worker.
    this.tasks.addTask(this.mailer.sendWelcome, email, { locale: 'en' });
    this.audit.record('signup');
    return { email, status: 'registered' };
  }
}
