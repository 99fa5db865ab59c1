import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundTasksTester } from 'nestjs-background-tasks/testing';
import request from 'supertest';

/**
 * The sample app's own tests, written as a user writes them: `Test.createTestingModule`, supertest, and
 * the testing kit. (The README's example is this file's first test.)
 */
describe('sample app (in-process, with the testing kit)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nbt-sample-kit-'));
  const outbox = join(dataDir, 'outbox.log');
  let app: INestApplication;
  let tasks: BackgroundTasksTester;
  let sendWelcome: unknown;

  beforeAll(async () => {
    // The sample reads its settings when first imported.
    Object.assign(process.env, { SAMPLE_DATA_DIR: dataDir, SAMPLE_MAIL_DELAY_MS: '30', SAMPLE_REPORT_STEP_MS: '1' });
    const { Mailer } = await import('../../sample/signup/mailer.js');
    sendWelcome = Mailer.prototype.sendWelcome;
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  beforeEach(async () => {
    rmSync(outbox, { force: true });
    const { AppModule } = await import('../../sample/app.module.js');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    tasks = BackgroundTasksTester.of(app);
  });
  afterEach(() => app.close());

  it('signup answers at once; the welcome e-mail is sent once the tasks are idle', async () => {
    await request(app.getHttpServer()).post('/signup').send({ email: 'ada@example.com' }).expect(201);
    expect(existsSync(outbox)).toBe(false); // the mail takes 30 ms: still on its way

    await tasks.idle();

    expect(readFileSync(outbox, 'utf8')).toBe('welcome ada@example.com en\n');
    expect(readFileSync(join(dataDir, 'audit.log'), 'utf8')).toMatch(/signup\n$/);
  });

  it("inline mode: the request resolves only after its tasks, like FastAPI's TestClient", async () => {
    tasks.setMode('inline');
    await request(app.getHttpServer()).post('/signup').send({ email: 'grace@example.org' }).expect(201);
    expect(readFileSync(outbox, 'utf8')).toBe('welcome grace@example.org en\n');
  });

  it('record mode: assert which tasks were added, with which arguments, then run them on demand', async () => {
    tasks.setMode('record');
    await request(app.getHttpServer()).post('/signup').send({ email: 'alan@example.com' }).expect(201);

    // The welcome e-mail is a @BackgroundTask handler: recorded under its handler name.
    expect(tasks.recorded.map((task) => task.name)).toEqual(['email.welcome', 'writeAuditEntry']);
    expect(tasks.recorded[0]).toMatchObject({
      fn: sendWelcome,
      args: ['alan@example.com', { locale: 'en' }],
      request: { method: 'POST', route: '/signup' },
    });
    await tasks.idle();
    expect(existsSync(outbox)).toBe(false); // recorded, not run

    const ran = await tasks.runRecorded('email.welcome');
    expect(ran.map((task) => task.status)).toEqual(['succeeded']);
    expect(readFileSync(outbox, 'utf8')).toBe('welcome alan@example.com en\n');
  });

  it('a rejected signup adds no task', async () => {
    tasks.setMode('record');
    await request(app.getHttpServer()).post('/signup').send({ email: 'nope' }).expect(400);
    expect(tasks.recorded).toEqual([]);
  });
});
