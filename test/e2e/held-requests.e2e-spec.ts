import { HeldRequests, HeldRequestsAppModule } from '../fixtures/held-requests-app.module.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';

/** Full collections, a turn apart: what only weak references and finished work hold goes. */
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('this suite needs --expose-gc (npm test passes it)');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// A task that outlives its response must not keep the request alive: the Node and framework request
// objects, and every request-scoped instance Nest made for it, would otherwise stay in memory as long as
// the task runs (and a slow task's request lands in the old generation).
describe.each(ADAPTERS)('a task still running after its response, on %s', (adapter) => {
  const processErrors = watchProcessErrors().errors;

  describe.each([
    ['global interceptor', true],
    ['globalInterceptor: false', false],
  ])('%s', (_mode, globalInterceptor) => {
    let running: RunningApp;
    let held: HeldRequests;

    beforeEach(async () => {
      running = await startApp(HeldRequestsAppModule.with(globalInterceptor), adapter);
      held = running.app.get(HeldRequests);
    });
    afterEach(async () => {
      held.release.open();
      await running.app.close();
      expect(processErrors).toEqual([]);
    });

    it.each(['param', 'scoped', 'later'])('GET /held/%s: the request and its request-scoped instances can be collected', async (route) => {
      const res = await send(`${running.url}/held/${route}`);
      expect(res.status).toBe(200);
      await held.started.promise;
      expect(held.refs.length).toBeGreaterThan(0);
      await collectGarbage();
      expect(held.refs.map((ref) => ref.deref() === undefined)).toEqual(held.refs.map(() => true));
      expect(held.release.isOpen).toBe(false); // the task was running all along
    });
  });
});
