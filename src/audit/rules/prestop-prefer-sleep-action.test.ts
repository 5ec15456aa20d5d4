import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('prestop-prefer-sleep-action');
