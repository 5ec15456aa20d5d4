import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('prestop-missing');
