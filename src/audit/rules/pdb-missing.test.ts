import { describeFixtures } from './fixtures/expectations.js';

describeFixtures('pdb-missing');
