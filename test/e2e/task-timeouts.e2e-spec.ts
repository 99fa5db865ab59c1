import type { TaskEndInfo } from '../../lib/index.js';
import { TaskRunner } from '../../lib/runner/task-runner.js';
import { HardeningAppModule } from '../fixtures/hardening-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';

/** Issue 26, items 6 and 7: timeouts that setTimeout cannot hold, and timeouts a synchronous task overruns. */
describe.each(ADAPTERS)('task timeouts, on %s', (adapter) => {
  let running: RunningApp | undefined;
  let ends: TaskEndInfo[];
  const processErrors = watchProcessErrors().errors;

  beforeEach(async () => {
    running = await startApp(HardeningAppModule.with(), adapter);
    ends = [];
    running.app.get(TaskRunner).events.onEnd((info) => void ends.push(info));
  });
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
    expect(processErrors).toEqual([]);
  });

  it('a synchronous task that runs past its timeout ends timed-out, with its line and onTaskEnd', async () => {
    const { url, logger } = running!;
    const probe = running!.app.get(TaskProbe);
    await send(`${url}/overrun/200`, 'POST');
    await probe.seen('overrun-done');
    await running!.app.get(TaskRunner).whenIdle('all', Date.now() + 5_000);
    expect(ends).toMatchObject([{ name: 'overrun', outcome: 'timed-out' }]);
    expect(logger.ours('warn').concat(logger.ours('error')).map((line) => line.message)).toContainEqual(
      expect.stringMatching(/^Task "overrun" of POST \/overrun\/:ms timed out after 30 ms/),
    );
  });

  it.each([Infinity, 2 ** 31, 1e10])('timeout %p does not collapse to 1 ms: the task runs to its end', async (timeout) => {
    const { url } = running!;
    const probe = running!.app.get(TaskProbe);
    await send(`${url}/wait/${timeout}`, 'POST');
    await probe.seen('wait-started');
    // Well past 1 ms: a timeout cut short would have fired by now.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ends).toEqual([]);
    probe.gate('wait').open();
    await running!.app.get(TaskRunner).whenIdle('all', Date.now() + 5_000);
    expect(ends).toMatchObject([{ name: 'waits', outcome: 'succeeded' }]);
  });
});
