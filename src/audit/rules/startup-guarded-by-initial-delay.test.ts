import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('startup-guarded-by-initial-delay');
