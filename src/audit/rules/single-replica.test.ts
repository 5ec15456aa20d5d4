import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('single-replica');
