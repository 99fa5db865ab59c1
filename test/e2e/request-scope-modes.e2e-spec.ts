import {
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  Post,
  Res,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { BackgroundTasks, BackgroundTasksInterceptor, BackgroundTasksModule, Tasks } from '../../lib/index.js';
import type { ServerResponse } from 'node:http';
import { nodeResponse, TaskProbe } from '../fixtures/task-probe.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { send } from '../support/http.js';
import { watchProcessErrors } from '../support/process-errors.js';

/** A service with lifecycle hooks that injects BackgroundTasks, through another service. */
@Injectable()
class Mailer {
  constructor(readonly tasks: BackgroundTasks) {}
}

@Injectable()
class SignupService implements OnModuleInit, OnApplicationBootstrap {
  static constructions = 0;
  initialized = false;
  /** What `addTask` did before returning, when called at bootstrap: nothing may have run yet. */
  ranInsideAddTask: boolean | undefined;

  constructor(
    readonly mailer: Mailer,
    private readonly probe: TaskProbe,
  ) {
    SignupService.constructions++;
  }

  onModuleInit(): void {
    this.initialized = true;
  }

  onApplicationBootstrap(): void {
    let ran = false;
    this.mailer.tasks.addTask(() => {
      ran = true;
      this.probe.record('bootstrap-task');
    });
    this.ranInsideAddTask = ran;
  }

  signup(email: string, response: ServerResponse): void {
    this.mailer.tasks.addTask(
      (probe: TaskProbe, to: string) => probe.record('welcome', { to, sentAtStart: response.writableFinished }),
      this.probe,
      email,
    );
  }
}

@Controller('modes')
class SignupController {
  constructor(
    private readonly signups: SignupService,
    private readonly probe: TaskProbe,
  ) {}

  /** Adds the task, then holds the response until the test opens the gate. */
  @Post('held')
  async held(@Res({ passthrough: true }) response: unknown): Promise<{ ok: true }> {
    this.signups.signup('held@example.com', nodeResponse(response));
    this.probe.record('added');
    await this.probe.gate('release').promise;
    return { ok: true };
  }

  @Post('signup/:email')
  signup(@Param('email') email: string, @Res({ passthrough: true }) response: unknown): { ok: true } {
    this.signups.signup(email, nodeResponse(response));
    return { ok: true };
  }
}

@Controller('static')
class StaticController {
  @Get()
  get(): string {
    return 'static';
  }
}

@Controller('param')
class ParamController {
  @Get()
  get(@Tasks() tasks: BackgroundTasks): string {
    tasks.addTask(() => undefined);
    return 'param';
  }
}

/** The route methods as declared, before any app equips them. */
const staticGet = StaticController.prototype.get;
const signup = SignupController.prototype.signup;

function app(requestScoped: boolean): DynamicModule {
  @Module({})
  class ModesModule {}
  return {
    module: ModesModule,
    imports: [BackgroundTasksModule.forRoot({ requestScoped })],
    controllers: [SignupController, StaticController, ParamController],
    providers: [SignupService, Mailer, TaskProbe],
  };
}

describe.each(ADAPTERS)('requestScoped: false on %s', (adapter) => {
  const processErrors = watchProcessErrors();
  let running: RunningApp;
  let probe: TaskProbe;

  beforeAll(async () => {
    SignupService.constructions = 0;
    running = await startApp(app(false), adapter);
    probe = running.app.get(TaskProbe);
  });
  afterAll(() => running.app.close());
  afterEach(() => expect(processErrors.errors).toEqual([]));

  it('keeps the services that inject BackgroundTasks singletons: app.get() works and lifecycle hooks run', () => {
    const service = running.app.get(SignupService);
    expect(service.initialized).toBe(true);
    expect(SignupService.constructions).toBe(1);
    expect(running.app.get(BackgroundTasks)).toBe(service.mailer.tasks);
  });

  it('a task added outside any request (bootstrap) runs soon, never inside addTask', async () => {
    await probe.seen('bootstrap-task');
    expect(running.app.get(SignupService).ranInsideAddTask).toBe(false);
  });

  it('holds the task while its response is held: it belongs to the request, not to the moment', async () => {
    const call = send(`${running.url}/modes/held`, 'POST');
    let earlyWelcomes: number;
    try {
      await probe.seen('added');
      // A task outside the request would run at the end of this turn; give it several.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      earlyWelcomes = probe.count('welcome');
    } finally {
      probe.gate('release').open();
    }
    expect((await call).status).toBe(201);
    expect(earlyWelcomes).toBe(0);
    await probe.seen('welcome');
    expect(probe.events.find((e) => e.name === 'welcome')?.data).toEqual({ to: 'held@example.com', sentAtStart: true });
  });

  it('a singleton service adds to the batch of the request being handled: the task runs after its response', async () => {
    const emails = Array.from({ length: 20 }, (_, i) => `u${i}@example.com`);
    const responses = await Promise.all(emails.map((email) => send(`${running.url}/modes/signup/${email}`, 'POST')));
    expect(responses.every((res) => res.status === 201)).toBe(true);
    await probe.seen('welcome', 21);
    const welcomed = probe.events.filter((e) => e.name === 'welcome').map((e) => e.data as { to: string; sentAtStart: boolean });
    expect(welcomed.map((w) => w.to).sort()).toEqual([...emails, 'held@example.com'].sort());
    expect(welcomed.every((w) => w.sentAtStart)).toBe(true);
    expect(SignupService.constructions).toBe(1);
  });

  it('does not warn about request scope', () => {
    expect(running.logger.lines.filter((l) => l.level === 'warn' && l.context === 'BackgroundTasks')).toEqual([]);
  });
});

describe('the default request scope', () => {
  const processErrors = watchProcessErrors();
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(app(true));
  });
  afterAll(() => running.app.close());
  afterEach(() => expect(processErrors.errors).toEqual([]));

  it('warns at startup when BackgroundTasks makes a provider with lifecycle hooks request-scoped: provider, chain, fix', () => {
    const warnings = running.logger.lines.filter((l) => l.level === 'warn' && l.context === 'BackgroundTasks').map((l) => l.message);
    expect(warnings).toEqual([
      'SignupService is request-scoped because it injects BackgroundTasks (SignupService -> Mailer -> BackgroundTasks), so Nest ' +
        'never calls its onModuleInit(), onApplicationBootstrap(). Use BackgroundTasksModule.forRoot({ requestScoped: false }) ' +
        '(BackgroundTasks becomes a singleton), or take the tasks as a @Tasks() parameter in the controller instead of injecting them here.',
    ]);
  });

  it('equips only the controllers that can add tasks: routes that never touch them keep their own function', () => {
    expect(StaticController.prototype.get).toBe(staticGet);
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, StaticController)).toBeUndefined();
    expect(SignupController.prototype.signup).not.toBe(signup);
    expect(SignupController.prototype.signup.name).toBe('signup');
  });
});
