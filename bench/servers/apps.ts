/**
 * Every Nest variant's app, as a user would write it. Each serves `GET /bench` with the same body; every
 * no-op task does one increment, and `counter` lets the runner check that as many tasks ran as were added
 * (a variant that dropped its tasks would look fast). The library is imported by its package name, public
 * API only, so the servers measure the built `dist/` exactly as an app would load it.
 */
import { Controller, type DynamicModule, Get, Inject, Injectable, Module, Scope, type Type } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { BackgroundTasks, BackgroundTasksModule, Tasks } from 'nestjs-background-tasks';

export const counter = { added: 0, ran: 0 };
const noopTask = (): void => void counter.ran++;
// A task that waits (an email, an HTTP call), for the p99 pair.
const sleepTask = async (ms: number): Promise<void> => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  counter.ran++;
};
const BODY = { hello: 'world' };

@Controller()
class Plain {
  @Get('bench') get() { return BODY; }
}

@Controller()
class Immediate {
  @Get('bench') get() {
    counter.added++;
    setImmediate(noopTask);
    return BODY;
  }
}

// Nest's own price of request scope: a trivial provider that, like BackgroundTasks, injects REQUEST.
@Injectable({ scope: Scope.REQUEST })
class PerRequest {
  constructor(@Inject(REQUEST) readonly request: unknown) {}
}

@Controller()
class ScopedPlain {
  constructor(readonly thing: PerRequest) {}
  @Get('bench') get() { return BODY; }
}

// The README's card: the controller injects the request-scoped BackgroundTasks.
@Controller()
class Card {
  constructor(private readonly tasks: BackgroundTasks) {}
  @Get('bench') get() {
    counter.added++;
    this.tasks.addTask(noopTask);
    return BODY;
  }
}

@Controller()
class CardNoTask {
  constructor(readonly tasks: BackgroundTasks) {}
  @Get('bench') get() { return BODY; }
}

@Controller()
class Card50ms {
  constructor(private readonly tasks: BackgroundTasks) {}
  @Get('bench') get() {
    counter.added++;
    this.tasks.addTask(sleepTask, 50);
    return BODY;
  }
}

// The card's call site under forRoot({ requestScoped: false }): a controller and a service inject the
// singleton BackgroundTasks; the service adds the task, as in the README's Quick Start.
@Injectable()
class Mailer {
  constructor(private readonly tasks: BackgroundTasks) {}
  welcome() {
    counter.added++;
    this.tasks.addTask(noopTask);
  }
}

@Controller()
class SingletonCard {
  constructor(
    readonly tasks: BackgroundTasks,
    private readonly mailer: Mailer,
  ) {}
  @Get('bench') get() {
    this.mailer.welcome();
    return BODY;
  }
}

// The fast way in: the controller stays a singleton.
@Controller()
class Param {
  @Get('bench') get(@Tasks() tasks: BackgroundTasks) {
    counter.added++;
    tasks.addTask(noopTask);
    return BODY;
  }
}

function app(controller: Type, imports: DynamicModule[] = [], providers: Type[] = []): Type {
  @Module({ controllers: [controller], imports, providers })
  class App {}
  return App;
}
const defaults = () => [BackgroundTasksModule.forRoot()];
const lean = () => [BackgroundTasksModule.forRoot({ globalInterceptor: false })];
const singleton = (globalInterceptor?: boolean) => [BackgroundTasksModule.forRoot({ requestScoped: false, globalInterceptor })];

/** App name (`app` in bench/variants.mjs) -> its root module, built only when chosen. */
export const APPS: Record<string, () => Type> = {
  bare: () => app(Plain),
  'set-immediate': () => app(Immediate),
  'request-scoped-no-task': () => app(ScopedPlain, [], [PerRequest]),
  'module-untouched': () => app(Plain, defaults()),
  'module-untouched-lean': () => app(Plain, lean()),
  card: () => app(Card, defaults()),
  'card-lean': () => app(Card, lean()),
  'tasks-param': () => app(Param, lean()),
  'card-singleton': () => app(SingletonCard, singleton(), [Mailer]),
  'card-singleton-lean': () => app(SingletonCard, singleton(false), [Mailer]),
  'module-untouched-singleton': () => app(Plain, singleton()),
  'card-no-task': () => app(CardNoTask, defaults()),
  'card-50ms': () => app(Card50ms, defaults()),
};
