import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('daemonset-update-unavailable');
