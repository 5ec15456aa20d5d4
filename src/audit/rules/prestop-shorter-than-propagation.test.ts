import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('prestop-shorter-than-propagation');
