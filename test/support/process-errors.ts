/**
 * Collects every `unhandledRejection` and `uncaughtException` while a suite runs: the library must never
 * let one escape. Call at the top of a `describe`; assert `errors` is empty after each test.
 */
export function watchProcessErrors(): { readonly errors: unknown[] } {
  const errors: unknown[] = [];
  const onError = (error: unknown) => errors.push(error);
  beforeAll(() => {
    process.on('unhandledRejection', onError);
    process.on('uncaughtException', onError);
  });
  afterAll(() => {
    process.off('unhandledRejection', onError);
    process.off('uncaughtException', onError);
  });
  return { errors };
}
