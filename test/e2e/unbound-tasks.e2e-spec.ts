import { Controller, Get, Module, Req, Res } from '@nestjs/common';
import { ContextIdFactory, ModuleRef } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { BackgroundTasks, BackgroundTasksModule } from '../../lib/index.js';
import { nodeResponse } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { createGate, type Gate } from '../support/gate.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';
import { REQUEST_SCOPED } from '../support/request-scope-mode.js';

/** Whether the response had been sent when each task started; `ran` opens once one has. */
const seen: { sentAtStart: boolean[]; ran?: Gate } = { sentAtStart: [] };

function noteSent(response: ServerResponse): void {
  seen.sentAtStart.push(response.writableFinished);
  seen.ran?.open();
}

/** A singleton controller (nothing request-scoped injected) that resolves the request's tasks by hand. */
@Controller('recipe')
class RecipeController {
  constructor(private readonly moduleRef: ModuleRef) {}

  /** The recipe that does not work: Nest knows no request for this context id. */
  @Get('unregistered')
  async unregistered(@Req() req: object, @Res({ passthrough: true }) res: unknown): Promise<string> {
    const tasks = await this.moduleRef.resolve(BackgroundTasks, ContextIdFactory.getByRequest(req), { strict: false });
    tasks.addTask(noteSent, nodeResponse(res));
    return 'ok';
  }

  /** The recipe that works: the request registered under the context id first. */
  @Get('registered')
  async registered(@Req() req: object, @Res({ passthrough: true }) res: unknown): Promise<string> {
    const contextId = ContextIdFactory.getByRequest(req);
    this.moduleRef.registerRequestByContextId(req, contextId);
    const tasks = await this.moduleRef.resolve(BackgroundTasks, contextId, { strict: false });
    tasks.addTask(noteSent, nodeResponse(res));
    return 'ok';
  }
}

@Module({ imports: [BackgroundTasksModule.forRoot()], controllers: [RecipeController] })
class RecipeAppModule {}

const WARNING = 'BackgroundTasks was built without a request';

describe.each(ADAPTERS)('a BackgroundTasks resolved by hand in a singleton on %s', (adapter) => {
  const processErrors = watchProcessErrors();
  let running: RunningApp;
  beforeEach(async () => {
    seen.sentAtStart = [];
    running = await startApp(RecipeAppModule, adapter);
  });
  afterEach(async () => {
    await running.app.close();
    expect(processErrors.errors).toEqual([]);
  });

  async function call(path: string): Promise<void> {
    seen.ran = createGate();
    expect((await send(`${running.url}/recipe/${path}`)).status).toBe(200);
    await seen.ran.promise;
  }

  it('with the request registered under its context id: the request\'s tasks, after the response, no warning', async () => {
    await call('registered');
    await call('registered');
    expect(seen.sentAtStart).toEqual([true, true]);
    expect(running.logger.ours('warn')).toEqual([]);
  });

  it('without: tasks run soon, and the first one warns, once per application (request scope only)', async () => {
    await call('unregistered');
    await call('unregistered');
    const warnings = running.logger.ours('warn').filter((line) => line.message.startsWith(WARNING));
    if (REQUEST_SCOPED) {
      expect(warnings).toHaveLength(1);
      expect(warnings[0].message).toContain('moduleRef.registerRequestByContextId(request, contextId)');
    } else {
      // The singleton acts on the request being handled: its tasks wait for the response.
      expect(warnings).toEqual([]);
      expect(seen.sentAtStart).toEqual([true, true]);
    }
  });
});
