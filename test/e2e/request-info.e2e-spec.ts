import { Controller, Get, Injectable, Module, Param, type MiddlewareConsumer, type NestMiddleware, type NestModule } from '@nestjs/common';
import { BackgroundTasks, BackgroundTasksModule, type TaskEndInfo } from '../../lib/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { createGate, type Gate } from '../support/gate.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';

/** Where the test learns that every task of a request has ended. */
const ended: { infos: TaskEndInfo[]; gate?: Gate; expected: number } = { infos: [], expected: 0 };

function middlewareTask(): void {}
function handlerTask(): void {}

/** Adds a task on every request, matched or not, before routing. */
@Injectable()
class EveryRequestMiddleware implements NestMiddleware {
  constructor(private readonly tasks: BackgroundTasks) {}

  use(_req: unknown, _res: unknown, next: () => void): void {
    this.tasks.addTask(middlewareTask);
    next();
  }
}

@Controller()
class ItemsController {
  constructor(private readonly tasks: BackgroundTasks) {}

  @Get('items/:id')
  item(@Param('id') id: string): { id: string } {
    this.tasks.addTask(handlerTask);
    return { id };
  }

  @Get('orders/:orderId/lines')
  lines(): string[] {
    this.tasks.addTask(handlerTask);
    return [];
  }
}

@Module({
  imports: [
    BackgroundTasksModule.forRoot({
      // Metrics and hooks on: the request is described when each task is added, middleware's before routing.
      metrics: true,
      logLevels: { started: 'log', succeeded: 'log' },
      onTaskEnd: (info) => {
        ended.infos.push(info);
        if (ended.infos.length === ended.expected) ended.gate?.open();
      },
    }),
  ],
  controllers: [ItemsController],
  providers: [EveryRequestMiddleware],
})
class RequestInfoAppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(EveryRequestMiddleware).forRoutes('*path');
  }
}

describe.each(ADAPTERS)('the route pattern, never the URL, names the request on %s', (adapter) => {
  const processErrors = watchProcessErrors();
  let running: RunningApp;
  beforeEach(async () => {
    ended.infos = [];
    running = await startApp(RequestInfoAppModule, adapter);
  });
  afterEach(async () => {
    await running.app.close();
    expect(processErrors.errors).toEqual([]);
  });

  async function tasksOf(path: string, count: number): Promise<TaskEndInfo[]> {
    ended.infos = [];
    ended.expected = count;
    ended.gate = createGate();
    await send(`${running.url}${path}`);
    await ended.gate.promise;
    return ended.infos;
  }

  it("a middleware's task of a matched route: the pattern, read after routing", async () => {
    const infos = await tasksOf('/items/tok-secret-1?key=tok-secret-2', 2);
    expect(infos.map((info) => [info.name, info.request])).toEqual([
      ['middlewareTask', { method: 'GET', route: '/items/:id' }],
      ['handlerTask', { method: 'GET', route: '/items/:id' }],
    ]);
    const lines = running.logger.ours().map((line) => line.message);
    expect(lines).toContain('Task "middlewareTask" of GET /items/:id started (attempt 1 of 1)');
    expect(lines.join('\n')).not.toContain('tok-secret');
  });

  it('each route names its own pattern, request after request (a 404 in between)', async () => {
    const routes = [];
    for (const path of ['/no/such', '/items/1', '/orders/7/lines', '/no/such', '/items/2', '/orders/8/lines']) {
      routes.push((await tasksOf(path, path === '/no/such' ? 1 : 2)).map((info) => info.request?.route));
    }
    expect(routes).toEqual([
      ['(unknown route)'],
      ['/items/:id', '/items/:id'],
      ['/orders/:orderId/lines', '/orders/:orderId/lines'],
      ['(unknown route)'],
      ['/items/:id', '/items/:id'],
      ['/orders/:orderId/lines', '/orders/:orderId/lines'],
    ]);
  });

  it('an unmatched route (404): a placeholder, never the path or query', async () => {
    const infos = await tasksOf('/no/such/tok-secret-3?key=tok-secret-4', 1);
    // A 404 counts as a failed handler: runOn 'success' drops the task.
    expect(infos.map((info) => [info.name, info.outcome, info.request])).toEqual([
      ['middlewareTask', 'dropped', { method: 'GET', route: '(unknown route)' }],
    ]);
    const lines = running.logger.ours().map((line) => line.message);
    expect(lines).toEqual(["Dropped 1 task(s) of GET (unknown route): the handler threw (runOn 'success')"]);
    expect(lines.join('\n')).not.toContain('tok-secret');
  });
});
