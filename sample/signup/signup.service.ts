import { Injectable } from '@nestjs/common';
import { BackgroundTasks } from 'nestjs-background-tasks';
import { AuditService } from '../audit/audit.service.js';
import { sendWelcomeEmail } from './mailer.js';

@Injectable()
export class SignupService {
  constructor(
    private readonly tasks: BackgroundTasks,
    private readonly audit: AuditService,
  ) {}

  register(email: string): { email: string; status: string } {
    this.tasks.addTask(sendWelcomeEmail, email, { locale: 'en' });
    this.audit.record('signup');
    return { email, status: 'registered' };
  }
}
