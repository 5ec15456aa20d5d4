import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('surge-blocked-by-rwo-volume');
