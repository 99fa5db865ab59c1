import { createRequire } from 'node:module';

/**
 * The suites run against Nest 12 (`npm test`) and Nest 11 (`npm run test:nest11`, which sets
 * EXPECT_NEST_MAJOR): this pins that the mapping really loaded the Nest it claims to.
 */
describe('the Nest under test', () => {
  it('is the expected major version', () => {
    const require = createRequire(import.meta.url);
    const { version } = require('@nestjs/core/package.json') as { version: string };
    expect(version.split('.')[0]).toBe(process.env.EXPECT_NEST_MAJOR ?? '12');
  });
});
