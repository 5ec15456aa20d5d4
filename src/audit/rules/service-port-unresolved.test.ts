import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('service-port-unresolved');
