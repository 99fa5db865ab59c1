import { Logger } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { DeferredReleases } from '../../lib/core/deferred-releases.js';
import { HttpTaskBatch } from '../../lib/request/http-task-batch.js';
import { TaskRunner } from '../../lib/runner/task-runner.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { plainTask as task } from '../support/plain-task.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Release at the end of the turn (DeferredReleases)', () => {
  let logger: CaptureLogger;
  beforeEach(() => {
    logger = new CaptureLogger();
    Logger.overrideLogger(logger);
  });
  afterEach(() => Logger.overrideLogger(false));

  it('starts the tasks of responses closed in one turn together, after that turn, in order', async () => {
    const runner = new TaskRunner({});
    // HTTP batches: their tasks wait for the response.
    const first = new HttpTaskBatch(runner, new IncomingMessage(new Socket()));
    const second = new HttpTaskBatch(runner, new IncomingMessage(new Socket()));
    const ran: string[] = [];
    first.add(task('first', () => ran.push('first')));
    second.add(task('second', () => ran.push('second')));

    first.responseClosed(false, false);
    second.responseClosed(false, false);
    // Inside the turn in which the responses closed: nothing has run, and the drain counts both as
    // released (their responses are gone), so its first pass waits for them.
    expect(ran).toEqual([]);
    expect([first.released, second.released]).toEqual([true, true]);

    await nextTurn();
    expect(ran).toEqual(['first', 'second']);
    expect(await runner.whenIdle('all', Date.now() + 1_000)).toBe(true);
  });

  it('runs a task added between the close and the end of the turn in its place, once', async () => {
    const runner = new TaskRunner({});
    const batch = new HttpTaskBatch(runner, new IncomingMessage(new Socket()));
    const ran: string[] = [];
    batch.add(task('before close', () => ran.push('before close')));
    batch.responseClosed(false, false);
    batch.add(task('after close', () => ran.push('after close')));
    // Added once the response is known to be gone: released with it at once, the first task first.
    expect(ran).toEqual(['before close', 'after close']);
    await nextTurn();
    expect(ran).toEqual(['before close', 'after close']);
  });

  it('counts the tasks of a batch awaiting its turn-end look for the drain, which can abandon them', async () => {
    const runner = new TaskRunner({});
    const request = new IncomingMessage(new Socket());
    const batch = new HttpTaskBatch(runner, request);
    // As `@Tasks()` does: the response is looked at at the end of the turn; until then the batch is
    // not in the runner's busy set.
    batch.watchResponse(new ServerResponse(request));
    const ran: string[] = [];
    batch.add(task('awaiting the look', () => ran.push('ran')));
    expect(runner.outstanding).toBe(1);

    runner.abandonAll();
    expect(runner.outstanding).toBe(0);
    expect(logger.lines.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      expect.stringContaining('"awaiting the look"'),
    ]);
    await nextTurn();
    expect(ran).toEqual([]);
    expect(await runner.whenIdle('all', Date.now() + 1_000)).toBe(true);
  });

  it('still counts a batch released at the end of the turn while its tasks run', async () => {
    const runner = new TaskRunner({});
    const request = new IncomingMessage(new Socket());
    const batch = new HttpTaskBatch(runner, request);
    const response = new ServerResponse(request);
    batch.watchResponse(response);
    const outstanding: number[] = [];
    batch.add(task('first', () => outstanding.push(runner.outstanding)));
    batch.add(task('second', () => outstanding.push(runner.outstanding)));
    // The client is gone before the look: the tasks run there (onClientAbort 'run'), one after another.
    response.destroy();
    await nextTurn();
    // While the first runs, it and the second are outstanding; while the second runs, itself.
    expect(outstanding).toEqual([2, 1]);
    expect(runner.outstanding).toBe(0);
  });

  it('keeps releasing the other batches when one throws, and logs it by request', async () => {
    const releases = new DeferredReleases(new Logger('test'));
    const released: string[] = [];
    releases.add({ release: () => released.push('a'), describe: () => 'GET /a' });
    releases.add({
      release: () => {
        throw new Error('library bug');
      },
      describe: () => 'GET /b',
    });
    releases.add({ release: () => released.push('c'), describe: () => 'GET /c' });
    expect(released).toEqual([]);
    await nextTurn();
    expect(released).toEqual(['a', 'c']);
    expect(logger.lines.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      'Releasing the tasks of GET /b failed: library bug',
    ]);
    // The next turn's releases are scheduled anew.
    releases.add({ release: () => released.push('d'), describe: () => 'GET /d' });
    await nextTurn();
    expect(released).toEqual(['a', 'c', 'd']);
  });
});
