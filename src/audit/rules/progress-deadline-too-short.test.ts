import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('progress-deadline-too-short');
