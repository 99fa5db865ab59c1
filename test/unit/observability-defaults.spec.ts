import { jest } from '@jest/globals';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { ContextTaskBatch } from '../../lib/request/context-task-batch.js';
import { TaskRunner } from '../../lib/runner/task-runner.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { plainTask as task } from '../support/plain-task.js';
import { createGate } from '../support/gate.js';

/** "No cost when unused": without hooks, metrics, tracing or a test mode, the runner carries none of them. */
describe('observability when unused', () => {
  let logger: CaptureLogger;
  beforeEach(() => {
    logger = new CaptureLogger();
    Logger.overrideLogger(logger);
  });
  afterEach(() => {
    Logger.overrideLogger(false);
    // Levels set by a test stay on the static Logger otherwise.
    (Logger as unknown as { logLevels?: unknown }).logLevels = undefined;
  });

  it('a default runner has no listeners, no instrumentation and no test seam', () => {
    const runner = new TaskRunner({});
    expect(runner.events.observed).toBe(false);
    expect(runner.events.observesAdd).toBe(false);
    expect(runner.instrumented).toBe(false);
    expect(runner.testSeam).toBeUndefined();
  });

  it('only the hooks given are subscribed', () => {
    const runner = new TaskRunner({ onDrain: () => undefined });
    expect(runner.events.observed).toBe(false);
    expect(new TaskRunner({ onTaskEnd: () => undefined }).events.observed).toBe(true);
  });

  it('lifecycle lines at a level Nest does not print are not written (nor formatted)', async () => {
    Logger.overrideLogger(['error', 'warn']);
    const runner = new TaskRunner({});
    const batch = new ContextTaskBatch(runner, undefined);
    const done = createGate();
    batch.add(task('quiet', () => done.open()));
    await done.promise;
    await runner.whenIdle('all', Date.now() + 1_000);
    expect(logger.ours()).toEqual([]);
  });

  it('a level list replaced at runtime (useLogger, ConsoleLogger.setLogLevels) holds for the next task', async () => {
    const runner = new TaskRunner({ logLevels: { started: 'debug', succeeded: 'debug' } });
    const runOne = async (name: string) => {
      const done = createGate();
      new ContextTaskBatch(runner, undefined).add(task(name, () => done.open()));
      await done.promise;
      await runner.whenIdle('all', Date.now() + 1_000);
    };
    Logger.overrideLogger(['error', 'warn']);
    await runOne('before');
    Logger.overrideLogger(['error', 'warn', 'debug']);
    await runOne('after');
    Logger.overrideLogger(['error']);
    await runOne('quiet again');
    expect(logger.ours().map((line) => line.message)).toEqual([
      expect.stringMatching(/^Task "after" .* started/),
      expect.stringMatching(/^Task "after" .* succeeded/),
    ]);

    const console = new ConsoleLogger({ logLevels: ['error'] });
    const written = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
    Logger.overrideLogger(console);
    (Logger as unknown as { logLevels?: unknown }).logLevels = undefined;
    await runOne('console quiet');
    console.setLogLevels(['error', 'debug']);
    await runOne('console loud');
    expect(written.mock.calls.map(([message]) => String(message))).toEqual([
      expect.stringMatching(/^Task "console loud" .* started/),
      expect.stringMatching(/^Task "console loud" .* succeeded/),
    ]);
  });
});
