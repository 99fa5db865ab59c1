import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildApp } from '../support/child-app.js';
import { startChildWorker } from '../support/child-worker.js';
import { send } from '../support/http.js';
import { startRedisServer } from '../support/redis-server.js';

/** The sample app, built and run as `npm run sample` runs it, in its own process. */
describe('sample app (process)', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'nbt-sample-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers at once, sends the e-mail after the response, and drains it on SIGTERM', async () => {
    const app = await startChildApp('sample-dist/main.js', {
      PORT: '0',
      SAMPLE_DATA_DIR: dataDir,
      SAMPLE_MAIL_DELAY_MS: '800',
      REDIS_URL: '',
    });
    const res = await send(`${app.url}/signup`, 'POST', { email: 'grace@example.org' });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ email: 'grace@example.org', status: 'registered' });
    // The mail takes 800 ms: it cannot have been written yet when the 201 arrived.
    expect(existsSync(join(dataDir, 'outbox.log'))).toBe(false);

    app.child.kill('SIGTERM');
    const exit = await app.exited;

    expect(exit.signal ?? exit.code).toBe('SIGTERM');
    expect(readFileSync(join(dataDir, 'outbox.log'), 'utf8')).toBe('welcome grace@example.org en\n');
    expect(readFileSync(join(dataDir, 'audit.log'), 'utf8')).toMatch(/signup\n$/);
    const log = app.output();
    // The sample runs a request's tasks up to four at once: the audit line may be written before SIGTERM.
    expect(log).toMatch(/Shutting down: waiting up to 10000 ms for [12] background task\(s\)/);
    expect(log.indexOf('POST /signup -> 201 sent')).toBeLessThan(log.indexOf('Welcome e-mail to g***@example.org sent'));
    expect(log).not.toContain('grace@example.org');
  });

  it('answers 202 for a report and writes it in the background', async () => {
    const app = await startChildApp('sample-dist/main.js', {
      PORT: '0',
      SAMPLE_DATA_DIR: dataDir,
      SAMPLE_REPORT_STEP_MS: '10',
      REDIS_URL: '',
    });
    const res = await send(`${app.url}/reports`, 'POST', { period: '2026-11' });
    expect(res.status).toBe(202);
    const { id } = JSON.parse(res.body) as { id: string };
    app.child.kill('SIGTERM');
    await app.exited;
    expect(readdirSync(join(dataDir, 'reports'))).toEqual([`${id}.csv`]);
    expect(readFileSync(join(dataDir, 'reports', `${id}.csv`), 'utf8')).toContain('totals,2026-11,');
  });

  it('answers 202 for a CSV upload and renders its report in a worker thread', async () => {
    const app = await startChildApp('sample-dist/main.js', { PORT: '0', SAMPLE_DATA_DIR: dataDir, REDIS_URL: '' });
    const res = await send(`${app.url}/csv-reports`, 'POST', { csv: '5,1,4\n2,3' });
    expect(res.status).toBe(202);
    const { id } = JSON.parse(res.body) as { id: string };
    expect((await send(`${app.url}/csv-reports`, 'POST', { file: 'x' })).status).toBe(400);
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.signal ?? exit.code).toBe('SIGTERM');
    const report = readFileSync(join(dataDir, 'uploads', `${id}.report.csv`), 'utf8');
    expect(report).toMatch(/^values,5\nsum,15\nmin,1\nmedian,3\nmax,5\ndigest,[0-9a-f]{64}\n$/);
    expect(app.output()).not.toContain('could not be loaded');
  });

  it('an upload answers 202 with a status URL; DELETE cancels its running chunks and its pending report', async () => {
    const app = await startChildApp('sample-dist/main.js', {
      PORT: '0',
      SAMPLE_DATA_DIR: dataDir,
      SAMPLE_CHUNK_LINES: '1',
      SAMPLE_CHUNK_DELAY_MS: '600000', // counting a chunk waits until it is cancelled
      REDIS_URL: '',
    });
    const res = await send(`${app.url}/uploads`, 'POST', { text: 'a b\nc\n' });
    expect(res.status).toBe(202);
    const { id, statusUrl } = JSON.parse(res.body) as { id: string; statusUrl: string };
    expect(res.headers.location).toBe(statusUrl);
    const before = JSON.parse((await send(`${app.url}${statusUrl}`)).body) as { state: string; chunks: string[] };
    expect(before.state).toBe('pending');
    expect(before.chunks).toHaveLength(2);

    const cancel = await send(`${app.url}/uploads/${id}`, 'DELETE');
    expect(cancel.status).toBe(200);
    const result = JSON.parse(cancel.body) as { report: string; chunks: string[] };
    expect(result.report).toBe('cancelled');
    // Running (signalled) once the server has seen the response finish; removed (cancelled) if not yet.
    for (const chunk of result.chunks) expect(['signalled', 'cancelled']).toContain(chunk);
    const after = JSON.parse((await send(`${app.url}${statusUrl}`)).body) as { state: string; chunks: string[] };
    expect(after).toEqual({ id, state: 'cancelled', chunks: ['cancelled', 'cancelled'] });

    app.child.kill('SIGTERM');
    await app.exited;
    expect(app.output()).not.toContain('abandoned');
    expect(existsSync(join(dataDir, 'uploads', `${id}.txt`))).toBe(false);
  });

  it('with REDIS_URL, the welcome e-mail goes through Redis and the worker process sends it', async () => {
    const redis = await startRedisServer();
    const env = { PORT: '0', SAMPLE_DATA_DIR: dataDir, SAMPLE_MAIL_DELAY_MS: '10', REDIS_URL: redis.url };
    const worker = await startChildWorker('sample-dist/worker.js', env);
    const app = await startChildApp('sample-dist/main.js', env);
    try {
      const res = await send(`${app.url}/signup`, 'POST', { email: 'grace@example.org' });
      expect(res.status).toBe(201);
      await worker.waitForOutput(/Welcome e-mail to g\*\*\*@example\.org sent \(pid \d+\)/);

      expect(readFileSync(join(dataDir, 'outbox.log'), 'utf8')).toBe('welcome grace@example.org en\n');
      expect(worker.output()).toContain(`sent (pid ${worker.child.pid})`);
      expect(app.output()).toContain('Enqueued 1 durable task(s) of POST /signup to queue "sample-tasks"');
      expect(app.output() + worker.output()).not.toContain('grace@example.org');
    } finally {
      app.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
      await Promise.all([app.exited, worker.exited]);
      await redis.stop();
    }
  });
});
