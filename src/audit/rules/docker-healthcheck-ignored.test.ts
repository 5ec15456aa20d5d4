import { describe, expect, it } from 'vitest';
import { auditText } from '../testing.js';
import { describeFixtureTable } from './fixtures/fixtureTable.js';

const ID = 'docker-healthcheck-ignored';

describeFixtureTable(ID);

describe(ID, () => {
  it('is info: a hint, not a failure', () => {
    const [f] = auditText('FROM node:20\nHEALTHCHECK CMD true\n', { rules: [ID] });
    expect(f!.severity).toBe('info');
  });
});
