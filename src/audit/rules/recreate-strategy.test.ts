import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('recreate-strategy');
