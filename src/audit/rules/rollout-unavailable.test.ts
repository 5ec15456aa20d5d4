import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('rollout-unavailable');
