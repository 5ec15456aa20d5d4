import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('prestop-does-not-wait');
