import { Scope } from '@nestjs/common';
import { PARAMTYPES_METADATA, PROPERTY_DEPS_METADATA, SELF_DECLARED_DEPS_METADATA } from '@nestjs/common/constants.js';
import type { ModulesContainer } from '@nestjs/core';

/** A provider token: a class, a string or a symbol. */
export type Token = unknown;

/** The part of Nest's `InstanceWrapper` read here (stable across Nest 11 and 12). */
interface Wrapper {
  readonly metatype?: unknown;
  readonly inject?: readonly unknown[] | null;
  readonly scope?: Scope;
}

/** `forwardRef(() => X)` and `{ token, optional }` to the token itself. */
function unwrap(token: unknown): Token {
  if (typeof token === 'object' && token !== null) {
    const ref = (token as { forwardRef?: () => unknown }).forwardRef;
    if (typeof ref === 'function') return ref();
    if ('token' in token) return (token as { token: unknown }).token;
  }
  return token;
}

/** What a provider, controller or enhancer asks Nest to inject: constructor parameters and properties. */
function dependenciesOf(wrapper: Wrapper): Token[] {
  if (Array.isArray(wrapper.inject)) return wrapper.inject.map(unwrap);
  const type = wrapper.metatype;
  if (typeof type !== 'function') return [];
  const params: unknown[] = [...((Reflect.getMetadata(PARAMTYPES_METADATA, type) as unknown[] | undefined) ?? [])];
  for (const { index, param } of (Reflect.getMetadata(SELF_DECLARED_DEPS_METADATA, type) as { index: number; param: unknown }[] | undefined) ?? []) {
    params[index] = param;
  }
  const properties = (Reflect.getMetadata(PROPERTY_DEPS_METADATA, type) as { type: unknown }[] | undefined) ?? [];
  return [...params, ...properties.map((property) => property.type)].map(unwrap).filter((token) => token !== undefined);
}

/**
 * The app's dependency graph as declared (constructor and property injection, factory `inject`), read
 * from the scanned modules before Nest creates any instance: Nest fills in its own edges only while it
 * creates them, which is too late to attach interceptors. Tokens of every module meet in one graph; a
 * token declared in two modules joins both declarations' dependencies (erring towards "can add tasks").
 */
export class TaskDependencyGraph {
  private readonly dependencies = new Map<Token, Set<Token>>();
  private readonly scopes = new Map<Token, Scope | undefined>();

  constructor(modules: ModulesContainer) {
    for (const module of modules.values()) {
      for (const collection of [module.providers, module.controllers, module.injectables]) {
        for (const [token, wrapper] of collection as Map<Token, Wrapper>) this.add(token, wrapper);
      }
    }
  }

  /** Every class in the graph (controllers, class providers, enhancers). */
  classes(): Function[] {
    return [...this.dependencies.keys()].filter((token): token is Function => typeof token === 'function');
  }

  /** The scope a provider declares itself (`@Injectable({ scope })`); DEFAULT when none. */
  declaredScope(token: Token): Scope {
    return this.scopes.get(token) ?? Scope.DEFAULT;
  }

  /** The tokens that depend on `target`, directly or through others. */
  dependentsOf(target: Token): Set<Token> {
    const found = new Set<Token>([target]);
    let changed = true;
    while (changed) {
      changed = false;
      for (const [token, dependencies] of this.dependencies) {
        if (found.has(token)) continue;
        for (const dependency of dependencies) {
          if (found.has(dependency)) {
            found.add(token);
            changed = true;
            break;
          }
        }
      }
    }
    return found;
  }

  /** Names along a shortest dependency path from `from` to `to`, both included. */
  chainTo(from: Token, to: Token): string[] {
    const previous = new Map<Token, Token>();
    const queue: Token[] = [from];
    for (let i = 0; i < queue.length && !previous.has(to); i++) {
      for (const next of this.dependencies.get(queue[i]) ?? []) {
        if (next === from || previous.has(next)) continue;
        previous.set(next, queue[i]);
        queue.push(next);
      }
    }
    const chain: string[] = [];
    for (let at: Token = to; at !== undefined; at = at === from ? undefined : previous.get(at)) chain.unshift(nameOf(at));
    return chain;
  }

  private add(token: Token, wrapper: Wrapper): void {
    const known = this.dependencies.get(token) ?? new Set<Token>();
    for (const dependency of dependenciesOf(wrapper)) known.add(dependency);
    this.dependencies.set(token, known);
    if (!this.scopes.has(token) || wrapper.scope !== undefined) this.scopes.set(token, wrapper.scope);
  }
}

function nameOf(token: Token): string {
  if (typeof token === 'function') return token.name || 'an anonymous class';
  return typeof token === 'symbol' ? token.toString() : String(token);
}
