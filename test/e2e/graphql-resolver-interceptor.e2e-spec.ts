import { describeGraphqlSuite } from '../support/graphql-suite.js';

// `globalInterceptor: false` with the interceptor on the resolver; its own file (see describeGraphqlSuite).
describeGraphqlSuite('interceptor on the resolver');
