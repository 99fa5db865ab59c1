import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { TaskRunner } from '../runner/task-runner.js';
import type { ScheduledTask } from '../core/scheduled-task.js';
import { BACKGROUND_TASK_HANDLER } from './background-task.decorator.js';
import { DurableProducer } from './durable-producer.js';
import { DUPLICATE_HANDLER, FUNCTION_OPTION, NOT_JSON, SCOPED_HANDLER, UNKNOWN_DURABLE_HANDLERS } from './durable.messages.js';
import { jsonProblem } from './json-arguments.check.js';
import type { TaskHandler } from '../core/task-handler.interface.js';
import type { TaskHandlerLookup } from '../core/task-handler-lookup.interface.js';

type AnyFunction = (...args: never[]) => unknown;

/**
 * Every `@BackgroundTask` method of the app, found once through Nest's `DiscoveryService`: by function
 * identity (what `addTask` receives) and by name (what a job carries). Names are resolved with a `Map`,
 * so a job's name can never reach anything but a registered handler.
 */
@Injectable()
export class TaskHandlerExplorer implements TaskHandlerLookup, OnModuleInit {
  private readonly byFunction = new Map<AnyFunction, TaskHandler>();
  private readonly byName = new Map<string, TaskHandler>();
  private scanned = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly runner: TaskRunner,
    @Inject(DurableProducer) private readonly producer: DurableProducer,
  ) {
    runner.useHandlers(this);
  }

  onModuleInit(): void {
    this.scan();
  }

  /** The handler `fn` is, if it is one. */
  find(fn: AnyFunction): TaskHandler | undefined {
    if (!this.scanned) this.scan();
    return this.byFunction.get(fn);
  }

  /** The handler of that name, if this app has one. */
  named(name: string): TaskHandler | undefined {
    if (!this.scanned) this.scan();
    return this.byName.get(name);
  }

  get size(): number {
    return this.byName.size;
  }

  /**
   * Prepares a handler's task: its provider becomes `this`; a durable one is checked now, at the call
   * site, for what cannot travel to a worker (non-JSON arguments, function options), and routed to the
   * producer.
   *
   * @throws TypeError naming the problem.
   */
  route(task: ScheduledTask, handler: TaskHandler, method: string): void {
    task.thisArg = handler.instance;
    if (!handler.durable) return;
    const problem = jsonProblem(task.args);
    if (problem !== undefined) throw new TypeError(NOT_JSON(method, handler.name, problem));
    const defaults = this.runner.options.defaults;
    if (task.options.backoffOptions === undefined && task.options.backoff !== defaults.backoff) {
      throw new TypeError(FUNCTION_OPTION(method, handler.name, 'backoff'));
    }
    if (task.options.retryIf !== defaults.retryIf) throw new TypeError(FUNCTION_OPTION(method, handler.name, 'retryIf'));
    task.durable = { handler: handler.name, dispatcher: this.producer };
  }

  private scan(): void {
    this.scanned = true;
    const durable = this.runner.options.durable;
    for (const wrapper of this.discovery.getProviders()) {
      const prototype = (wrapper.metatype as { prototype?: object } | null | undefined)?.prototype;
      const instance = wrapper.instance as object | undefined;
      const host = instance && typeof instance === 'object' ? Object.getPrototypeOf(instance) : prototype;
      if (!host || wrapper.isAlias) continue;
      for (const methodName of this.scanner.getAllMethodNames(host)) {
        const fn = (host as Record<string, unknown>)[methodName];
        const name = typeof fn === 'function' ? (Reflect.getMetadata(BACKGROUND_TASK_HANDLER, fn) as string | undefined) : undefined;
        if (name === undefined) continue;
        const where = `${(host.constructor as { name?: string })?.name ?? 'a provider'}.${methodName}`;
        if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient || !instance) throw new Error(SCOPED_HANDLER(name, where));
        const existing = this.byName.get(name);
        if (existing?.instance === instance && existing.methodName === methodName) continue;
        if (existing) throw new Error(DUPLICATE_HANDLER(name, existing.where, where));
        const handler: TaskHandler = {
          name,
          instance,
          methodName,
          where,
          durable: durable !== undefined && (durable.handlers === undefined || durable.handlers.has(name)),
        };
        this.byName.set(name, handler);
        this.byFunction.set(fn as AnyFunction, handler);
        // An instrumented instance may hand out its own function for the method: know that one too.
        const own = (instance as Record<string, unknown>)[methodName];
        if (typeof own === 'function' && own !== fn) this.byFunction.set(own as AnyFunction, handler);
      }
    }
    const unknown = [...(durable?.handlers ?? [])].filter((name) => !this.byName.has(name));
    if (unknown.length > 0) throw new Error(UNKNOWN_DURABLE_HANDLERS(unknown));
    // An app without handlers spares every `addTask` the lookup.
    if (this.byFunction.size === 0 && this.runner.handlers === this) this.runner.useHandlers(undefined);
  }
}
