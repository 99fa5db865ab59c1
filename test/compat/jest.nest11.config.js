/**
 * The e2e suites again, against Nest 11: every `@nestjs/*` import (the library's, the tests', and Nest's
 * own among its packages) is mapped to the Nest 11 install in test/compat/nest11 (see run.mjs).
 */
import base from '../../jest.config.js';

const NEST11 = '<rootDir>/test/compat/nest11/node_modules/@nestjs';

export default {
  ...base,
  rootDir: '../..',
  testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  // Nest 11 does not build request-scoped gateways (it hands the handlers a gateway whose constructor
  // never ran): BackgroundTasks in WebSocket gateways needs Nest 12. Documented in the README.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/websockets\\.e2e-spec\\.ts$'],
  modulePathIgnorePatterns: ['<rootDir>/test/compat/nest11/node_modules/.*/package.json', '<rootDir>/test/apps/'],
  moduleNameMapper: {
    '^@nestjs/(common|core|platform-express|platform-fastify|microservices|websockets|platform-ws|platform-socket\\.io|graphql|apollo|testing)(/.*)?$': `${NEST11}/$1$2`,
    ...base.moduleNameMapper,
  },
};
