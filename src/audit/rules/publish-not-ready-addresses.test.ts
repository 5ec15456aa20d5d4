import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('publish-not-ready-addresses');
