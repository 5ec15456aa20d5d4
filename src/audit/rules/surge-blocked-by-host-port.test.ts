import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('surge-blocked-by-host-port');
