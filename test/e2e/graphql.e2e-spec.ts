import { describeGraphqlSuite } from '../support/graphql-suite.js';

describeGraphqlSuite('global interceptor');
