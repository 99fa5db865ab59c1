import { REQUEST_SCOPED } from './request-scope-mode.js';
import { GraphqlAppModule, type GraphqlDriverName, type GraphqlHook } from '../fixtures/graphql-app.module.js';
import { TaskProbe } from '../fixtures/task-probe.js';
import { startApp, type AdapterName, type RunningApp } from './app.js';
import { send } from './http.js';
import { watchProcessErrors } from './process-errors.js';

type Ticket = { id: string; instance: number };

/**
 * Mercurius pulls in @fastify/static, which require()s the ESM-only content-disposition 3: Jest's module
 * runtime supports require(esm) from Node 24.9 only. CI runs this suite under Node 24 too.
 */
const [major, minor] = process.versions.node.split('.').map(Number);
const jestRequiresEsm = major > 24 || (major === 24 && minor >= 9);

// Listed only where it can load, rather than skipped: CI's Node 24 pass runs it.
const SERVERS: [GraphqlDriverName, AdapterName][] = [
  ['apollo', 'express'],
  ['apollo', 'fastify'],
  ...(jestRequiresEsm ? ([['mercurius', 'fastify']] as [GraphqlDriverName, AdapterName][]) : []),
];

/**
 * The GraphQL suite, with the module's global interceptor or with `@UseInterceptors(BackgroundTasksInterceptor)`
 * on the resolver under `globalInterceptor: false`. One set-up per test file: Nest GraphQL keeps its type
 * metadata in a process-wide store, and two resolver classes for one type in one file break its schema.
 */
export function describeGraphqlSuite(hook: GraphqlHook): void {
  describe.each(SERVERS)(`BackgroundTasks in GraphQL resolvers (%s on %s, ${hook})`, (driver, adapter) => {
    const processErrors = watchProcessErrors().errors;
    let running: RunningApp;
    let probe: TaskProbe;

    const operation = async (query: string) => {
      const res = await send(`${running.url}/graphql`, 'POST', { query });
      return { status: res.status, ...(JSON.parse(res.body) as { data?: Record<string, Ticket>; errors?: unknown[] }) };
    };

    beforeEach(async () => {
      running = await startApp(await GraphqlAppModule.with(driver, hook), adapter);
      probe = running.app.get(TaskProbe);
    });
    afterEach(async () => {
      await running?.app.close();
      expect(processErrors).toEqual([]);
    });

    it('one batch per operation: tasks of every root field run after the HTTP response, in order', async () => {
      const result = await operation('mutation { a: open(id: "a") { id instance } b: open(id: "b") { id instance } }');
      expect(result.errors).toBeUndefined();
      // Interceptors ran once per resolver, on one request-scoped instance.
      expect(result.data?.a.instance).toBe(result.data?.b.instance);
      await probe.seen('open-task', 2);
      expect(probe.events).toEqual([
        { name: 'open-task', data: { id: 'a', sentAtStart: true } },
        { name: 'open-task', data: { id: 'b', sentAtStart: true } },
      ]);
    });

    it('a resolver that ended early does not release the operation\'s tasks while another still runs', async () => {
      const pending = operation('mutation { a: open(id: "early") { id } b: slow(id: "late") { id } }');
      // Mutation fields run one after another: `open` has ended (and its interceptor with it) by now.
      await probe.seen('slow-waiting');
      expect(probe.count('open-task')).toBe(0);
      probe.gate('gql-late').open();
      expect((await pending).errors).toBeUndefined();
      await probe.seen('slow-task');
      expect(probe.names()).toEqual(['slow-waiting', 'open-task', 'slow-task']);
      expect(probe.events.slice(1).map((e) => e.data)).toEqual([
        { id: 'early', sentAtStart: true },
        { id: 'late', sentAtStart: true },
      ]);
    });

    it('concurrent operations get their own instance and batch (20 in parallel)', async () => {
      const ids = Array.from({ length: 20 }, (_, i) => `op${i}`);
      const results = await Promise.all(ids.map((id) => operation(`mutation { open(id: "${id}") { id instance } }`)));
      // Under requestScoped: false the resolver is one singleton; the batches are still one per operation.
      expect(new Set(results.map((r) => r.data?.open.instance)).size).toBe(REQUEST_SCOPED ? 20 : 1);
      await probe.seen('open-task', 20);
      expect(probe.events.map((e) => (e.data as { id: string }).id).sort()).toEqual([...ids].sort());
      expect(probe.events.every((e) => (e.data as { sentAtStart: boolean }).sentAtStart)).toBe(true);
    });

    it('a resolver that throws drops the operation\'s tasks (the response is a 200 with errors)', async () => {
      const result = await operation('mutation { a: open(id: "kept?") { id } b: broken(id: "x") { id } }');
      expect(result.status).toBe(200);
      expect(result.errors).toHaveLength(1);
      const line = await running.logger.waitFor((l) => l.context === 'BackgroundTasks' && l.message.startsWith('Dropped'));
      expect(line.message).toContain('Dropped 2 task(s) of POST /graphql');
      expect(probe.count('open-task') + probe.count('should-not-run')).toBe(0);
    });

    it('queries that never touch BackgroundTasks are not affected', async () => {
      const res = await send(`${running.url}/graphql`, 'POST', { query: '{ ping }' });
      expect(JSON.parse(res.body)).toEqual({ data: { ping: 'pong' } });
    });
  });
}
