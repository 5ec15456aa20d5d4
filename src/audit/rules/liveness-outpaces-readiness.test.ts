import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('liveness-outpaces-readiness');
