import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('prestop-binary-missing');
