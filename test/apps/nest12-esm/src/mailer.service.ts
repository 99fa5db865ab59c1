import { Injectable } from '@nestjs/common';

export interface SentMail {
  to: string;
  /** Whether the HTTP response had been sent when the task ran. */
  afterResponse: boolean;
}

@Injectable()
export class MailerService {
  readonly sent: SentMail[] = [];

  async sendWelcome(to: string, afterResponse: boolean): Promise<void> {
    this.sent.push({ to, afterResponse });
  }
}
