import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('min-ready-seconds-unset');
