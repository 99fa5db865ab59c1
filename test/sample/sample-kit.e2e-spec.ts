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
    Object.assign(process.env, { SAMPLE_DATA_DIR: dataDir, SAMPLE_MAIL_DELAY_MS: '30', SAMPLE_REPORT_STEP_MS: '1', SAMPLE_CHUNK_LINES: '2', SAMPLE_CHUNK_DELAY_MS: '1' });
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

  const TEXT = 'one two three\nfour five\nsix\nseven eight nine ten\neleven\n';

  it('an upload answers 202 with its status URL; its chunks run, then the report; the status says so', async () => {
    const accepted = await request(app.getHttpServer()).post('/uploads').send({ text: TEXT }).expect(202);
    const { id, statusUrl } = accepted.body as { id: string; statusUrl: string };
    expect(accepted.headers.location).toBe(statusUrl);
    expect(statusUrl).toBe(`/uploads/status/${id}`);

    await tasks.idle();

    const status = await request(app.getHttpServer()).get(statusUrl).expect(200);
    expect(status.body).toEqual({ id, state: 'succeeded', chunks: ['succeeded', 'succeeded', 'succeeded'] });
    expect(readFileSync(join(dataDir, 'uploads', `${id}.txt`), 'utf8')).toBe('chunks 3\nwords 11\n');
    await request(app.getHttpServer()).get('/uploads/status/nope').expect(404);
  });

  it('record mode shows the fan-in after its chunks; DELETE cancels the report and its chunks before they run', async () => {
    tasks.setMode('record');
    const { id } = (await request(app.getHttpServer()).post('/uploads').send({ text: TEXT }).expect(202)).body as { id: string };
    const chunkIds = tasks.recorded.filter((task) => task.name.startsWith('upload-chunk-')).map((task) => task.id);
    expect(tasks.recorded.find((task) => task.id === id)).toMatchObject({ name: 'upload-report', after: chunkIds, ifDependencyFails: 'skip' });

    const cancelled = await request(app.getHttpServer()).delete(`/uploads/${id}`).expect(200);
    expect(cancelled.body).toEqual({ id, report: 'cancelled', chunks: ['cancelled', 'cancelled', 'cancelled'] });
    expect((await request(app.getHttpServer()).get(`/uploads/status/${id}`).expect(200)).body.state).toBe('cancelled');
    expect(await tasks.runRecorded(() => true)).toEqual([]);
    expect(existsSync(join(dataDir, 'uploads', `${id}.txt`))).toBe(false);
  });
});
