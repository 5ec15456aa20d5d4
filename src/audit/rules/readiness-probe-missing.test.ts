import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('readiness-probe-missing');
