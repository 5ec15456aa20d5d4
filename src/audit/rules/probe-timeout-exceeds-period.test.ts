import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('probe-timeout-exceeds-period');
