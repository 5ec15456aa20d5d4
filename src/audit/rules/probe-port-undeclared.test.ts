import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('probe-port-undeclared');
