import type { ModulesContainer } from '@nestjs/core';

/** `@nestjs/graphql`'s metadata and options token, read by name so that the library never imports it. */
const RESOLVER_PROPERTY_METADATA = 'graphql:resolve_property';
const GRAPHQL_MODULE_OPTIONS = 'GqlModuleOptions';

/**
 * The `@ResolveField` methods (as `Class.method`) of `classes`, when the app's GraphQL
 * module runs no interceptors on field resolvers (`fieldResolverEnhancers` without `'interceptors'`,
 * Nest's default): a field resolver that throws then goes unseen, and the operation's tasks run as if
 * it had not. Empty when there is no GraphQL module or nothing to warn about.
 */
export function fieldResolversWithoutInterceptor(modules: ModulesContainer, classes: Iterable<Function>): string[] {
  let options: { fieldResolverEnhancers?: unknown } | undefined;
  for (const module of modules.values()) {
    const wrapper = module.providers.get(GRAPHQL_MODULE_OPTIONS) as { instance?: unknown } | undefined;
    if (wrapper?.instance !== undefined) options = wrapper.instance as typeof options;
  }
  if (options === undefined) return [];
  const enhancers = options.fieldResolverEnhancers;
  if (Array.isArray(enhancers) && enhancers.includes('interceptors')) return [];
  const found: string[] = [];
  for (const target of classes) {
    for (const name of Object.getOwnPropertyNames(target.prototype ?? {})) {
      // The descriptor, not the property: reading a getter of a prototype may throw.
      const method: unknown = Object.getOwnPropertyDescriptor(target.prototype, name)?.value;
      if (typeof method === 'function' && Reflect.getMetadata(RESOLVER_PROPERTY_METADATA, method) === true) found.push(`${target.name}.${name}`);
    }
  }
  return found;
}
