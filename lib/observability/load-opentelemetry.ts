/** The parts of `@opentelemetry/api` the library uses (types only: nothing is imported at load time). */
export type OpenTelemetryApi = typeof import('@opentelemetry/api');

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/**
 * Loads the optional peer `@opentelemetry/api`, or resolves undefined when it is not installed. A dynamic
 * `import()` called at module init: no top-level await, and an application without OpenTelemetry never
 * loads it. Any other failure is handed to `onError` and also resolves undefined.
 */
export async function loadOpenTelemetry(onError: (error: unknown) => void): Promise<OpenTelemetryApi | undefined> {
  try {
    const api = (await import('@opentelemetry/api')) as OpenTelemetryApi & { default?: OpenTelemetryApi };
    // Node hands the CommonJS build to `import()`; its named exports are there, `default` is the fallback.
    return typeof api.trace?.getTracer === 'function' ? api : api.default;
  } catch (error) {
    if (!isNotFound(error)) onError(error);
    return undefined;
  }
}

/**
 * True when an SDK has registered a tracer provider: until then the API hands out no-op tracers, and
 * tasks are not worth wrapping.
 */
export function hasTracerProvider(api: OpenTelemetryApi): boolean {
  const provider = api.trace.getTracerProvider() as { getDelegateTracer?: (name: string) => unknown };
  if (typeof provider.getDelegateTracer !== 'function') return true;
  return provider.getDelegateTracer('nestjs-background-tasks') !== undefined;
}
