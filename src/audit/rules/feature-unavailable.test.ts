import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('feature-unavailable');
