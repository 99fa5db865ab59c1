import { Inject, Injectable, Logger, Scope, type OnModuleInit } from '@nestjs/common';
import { EXCEPTION_FILTERS_METADATA, GUARDS_METADATA, INTERCEPTORS_METADATA, PATH_METADATA, PIPES_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { BACKGROUND_TASKS_EXTRAS, BACKGROUND_TASKS_LOGGER_CONTEXT } from '../core/background-tasks.constants.js';
import { FIELD_RESOLVERS_UNSEEN, REQUEST_SCOPE_TRAP } from '../core/background-tasks.messages.js';
import type { BackgroundTasksModuleExtras } from '../interfaces/background-tasks-module-extras.interface.js';
import { BackgroundTasks } from './background-tasks.service.js';
import { callSiteInterceptor } from './background-tasks.interceptor.js';
import { fieldResolversWithoutInterceptor } from './field-resolver.check.js';
import { trackRouteHandler } from './route-handler.tracker.js';
import { classesTakingTasksParameter } from './tasks.decorator.js';
import { TaskDependencyGraph, type Token } from './task-dependency.graph.js';

const ENHANCER_KEYS = [GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA, EXCEPTION_FILTERS_METADATA];
const LIFECYCLE_HOOKS = ['onModuleInit', 'onApplicationBootstrap', 'onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'];
/** Method metadata of `@nestjs/schedule` (`@Cron`, `@Interval`, `@Timeout`) and `@nestjs/event-emitter` (`@OnEvent`). */
const NEVER_ON_SCOPED = ['SCHEDULER_TYPE', 'SCHEDULE_CRON_OPTIONS', 'SCHEDULE_INTERVAL_OPTIONS', 'SCHEDULE_TIMEOUT_OPTIONS', 'EVENT_LISTENER_METADATA'];

/**
 * Finds, at startup, the classes whose handlers can add tasks: controllers, gateways and resolvers whose
 * dependency tree contains `BackgroundTasks` (or whose guards, interceptors, pipes or filters do), and
 * those with a `@Tasks()` parameter. With the default `globalInterceptor` it equips them alone, so routes
 * that never touch tasks run no code of this library: their HTTP routes with the route tracker
 * (`route-handler.tracker.ts`, the interceptor's semantics at a fraction of its cost), their message and
 * GraphQL handlers with the interceptor, which their per-message and per-operation batches need. It runs while Nest creates
 * providers, before routes, gateways and resolvers are registered: the metadata it adds is read then.
 *
 * Under the default request scope it also warns when injecting `BackgroundTasks` makes a provider with
 * lifecycle hooks or scheduler decorators request-scoped, since Nest then never calls them.
 */
@Injectable()
export class TaskCallSitesExplorer implements OnModuleInit {
  private readonly logger = new Logger(BACKGROUND_TASKS_LOGGER_CONTEXT);
  private readonly sites: Set<Function>;
  private readonly classes: Function[];

  /** @internal */
  constructor(
    private readonly modules: ModulesContainer,
    @Inject(BACKGROUND_TASKS_EXTRAS) private readonly extras: Required<BackgroundTasksModuleExtras>,
  ) {
    const graph = new TaskDependencyGraph(modules);
    const dependents = graph.dependentsOf(BackgroundTasks);
    this.sites = this.callSites(graph, dependents);
    this.classes = graph.classes();
    if (extras.globalInterceptor === undefined) for (const target of this.sites) attachTo(target);
    if (extras.requestScoped) this.warnOfScopeTraps(graph, dependents);
  }

  /** The GraphQL module's options exist by now: a field resolver that throws must not go unseen. */
  onModuleInit(): void {
    if (this.extras.globalInterceptor === false) return;
    // Any field resolver that throws fails the operation, whether or not its own class adds tasks.
    const unseen = this.sites.size === 0 ? [] : fieldResolversWithoutInterceptor(this.modules, this.classes);
    if (unseen.length > 0) this.logger.warn(FIELD_RESOLVERS_UNSEEN(unseen));
  }

  /** Controllers and providers that can add tasks themselves or through their enhancers. */
  private callSites(graph: TaskDependencyGraph, dependents: ReadonlySet<Token>): Set<Function> {
    const sites = new Set<Function>(classesTakingTasksParameter());
    for (const target of graph.classes()) {
      if (target === BackgroundTasks) continue;
      if (dependents.has(target) || usesEnhancerOf(target, dependents)) sites.add(target);
    }
    return sites;
  }

  private warnOfScopeTraps(graph: TaskDependencyGraph, dependents: ReadonlySet<Token>): void {
    for (const target of graph.classes()) {
      if (target === BackgroundTasks || !dependents.has(target) || graph.declaredScope(target) !== Scope.DEFAULT) continue;
      const never = neverCalledOnScoped(target);
      if (never.length === 0) continue;
      this.logger.warn(REQUEST_SCOPE_TRAP(target.name, graph.chainTo(target, BackgroundTasks), never));
    }
  }
}

/** HTTP routes get the route tracker; every other method (messages, resolvers) the interceptor. */
function attachTo(target: Function): void {
  for (let proto = target.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method: unknown = Object.getOwnPropertyDescriptor(proto, name)?.value;
      if (name === 'constructor' || typeof method !== 'function') continue;
      if (Reflect.hasMetadata(PATH_METADATA, method)) trackRouteHandler(proto, name);
      else attachInterceptor(method);
    }
  }
}

/** Prepends the call-site interceptor to a method's own interceptors, once. */
function attachInterceptor(target: Function): void {
  const existing: unknown[] = Reflect.getMetadata(INTERCEPTORS_METADATA, target) ?? [];
  if (existing.includes(callSiteInterceptor)) return;
  Reflect.defineMetadata(INTERCEPTORS_METADATA, [callSiteInterceptor, ...existing], target);
}

/** Whether the class's or its methods' guards, interceptors, pipes or filters can add tasks. */
function usesEnhancerOf(target: Function, dependents: ReadonlySet<Token>): boolean {
  const holders: object[] = [target, ...methodsOf(target)];
  return holders.some((holder) =>
    ENHANCER_KEYS.some((key) => ((Reflect.getMetadata(key, holder) as unknown[] | undefined) ?? []).some((e) => dependents.has(e))),
  );
}

/** Lifecycle hooks and scheduler or event decorators of a class, which Nest never runs on a scoped instance. */
function neverCalledOnScoped(target: Function): string[] {
  const found = LIFECYCLE_HOOKS.filter((hook) => typeof (target.prototype as Record<string, unknown>)[hook] === 'function').map((h) => `${h}()`);
  for (const method of methodsOf(target)) {
    const key = NEVER_ON_SCOPED.find((k) => Reflect.hasMetadata(k, method));
    if (key !== undefined) found.push(`${key.startsWith('EVENT') ? '@OnEvent' : '@Cron/@Interval/@Timeout'} ${method.name}()`);
  }
  return found;
}

function methodsOf(target: Function): Function[] {
  const methods: Function[] = [];
  for (let proto = target.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function') methods.push(descriptor.value as Function);
    }
  }
  return methods;
}
