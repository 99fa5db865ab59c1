import { chainSteps, HardeningAppModule } from '../fixtures/hardening-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';

/** Long enough that, run without a break, it would still be going when the other request comes. */
const CHAIN = 200_000;

/**
 * Issue 26, item 5: a task that adds itself again, over and over. The runner yields to I/O between
 * turns of tasks, so other requests are answered while the chain runs, and it warns about the chain.
 */
describe.each(ADAPTERS)('a task that keeps adding itself, on %s', (adapter) => {
  let running: RunningApp | undefined;
  const processErrors = watchProcessErrors().errors;
  afterEach(async () => {
    await running?.app.close();
    running = undefined;
    expect(processErrors).toEqual([]);
  });

  it.each(['async', 'sync'])('%s: another request is answered while the chain runs; the chain is warned about once', async (mode) => {
    running = await startApp(HardeningAppModule.with(), adapter);
    const { url, logger } = running;
    const probe = running.app.get(TaskProbe);
    expect((await send(`${url}/chain/${mode}/${CHAIN}`, 'POST')).status).toBe(201);
    await probe.seen('chain-started');

    const ping = await send(`${url}/ping`);
    // Answered while the chain still runs: it did not wait for the chain's end.
    expect(ping.status).toBe(200);
    expect(probe.count('chain-done')).toBe(0);
    expect(chainSteps.count).toBeLessThan(CHAIN + 1);

    await probe.seen('chain-done');
    expect(chainSteps.count).toBe(CHAIN + 1);
    const warnings = logger.ours('warn').map((line) => line.message);
    expect(warnings).toEqual([
      'POST /chain/:mode/:length has started 10000 background tasks: does a task keep adding itself? They go on running, a share per turn of the event loop',
    ]);
  });
});
