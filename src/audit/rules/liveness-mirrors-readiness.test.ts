import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('liveness-mirrors-readiness');
