import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('grace-period-exhausted');
