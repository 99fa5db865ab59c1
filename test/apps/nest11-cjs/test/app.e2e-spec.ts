import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { App } from 'supertest/types';
import { BackgroundTasks, BackgroundTasksModule } from 'nestjs-background-tasks';
import { BackgroundTasksTester } from 'nestjs-background-tasks/testing';
import { AppModule } from './../src/app.module';
import { MailerService } from './../src/mailer.service';

describe('AppController (e2e)', () => {
  let app: INestApplication<App>;

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();

    app = moduleFixture.createNestApplication();
    await app.init();
  });

  it('/signup (POST) answers, then the task runs after the response', async () => {
    await request(app.getHttpServer()).post('/signup').send({ email: 'ada@example.com' }).expect(201).expect({ ok: true });
    await BackgroundTasksTester.of(app).idle();
    expect(app.get(MailerService).sent).toEqual([{ to: 'ada@example.com', afterResponse: true }]);
  });

  it('record mode holds the task and shows it to the test', async () => {
    const tester = BackgroundTasksTester.of(app).setMode('record');
    await request(app.getHttpServer()).post('/signup').send({ email: 'bob@example.com' }).expect(201);
    expect(tester.recorded).toHaveLength(1);
    expect(app.get(MailerService).sent).toEqual([]);
    await tester.runRecorded();
    expect(app.get(MailerService).sent).toEqual([{ to: 'bob@example.com', afterResponse: true }]);
  });

  it('loads the CommonJS build: one class whether required or imported by this test', () => {
    expect(require('nestjs-background-tasks').BackgroundTasks).toBe(BackgroundTasks);
    expect(require.resolve('nestjs-background-tasks')).toMatch(/dist[\\/]cjs[\\/]index\.js$/);
    expect(typeof BackgroundTasksModule.forRoot).toBe('function');
  });

  afterEach(async () => {
    await app.close();
  });
});
