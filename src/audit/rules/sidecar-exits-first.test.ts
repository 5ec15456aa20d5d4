import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('sidecar-exits-first');
