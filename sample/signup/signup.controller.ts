import { BadRequestException, Body, Controller, Post } from '@nestjs/common';
import { SignupService } from './signup.service.js';

@Controller('signup')
export class SignupController {
  constructor(private readonly signup: SignupService) {}

  /** Answers 201 at once; the welcome e-mail goes out after the response. */
  @Post()
  register(@Body() body: { email?: unknown }) {
    if (typeof body?.email !== 'string' || !body.email.includes('@')) {
      throw new BadRequestException('email is required');
    }
    return this.signup.register(body.email);
  }
}
