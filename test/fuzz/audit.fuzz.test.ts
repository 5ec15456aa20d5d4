/**
 * Generated mutations of every fixture (damage, wrong shapes, YAML features, every encoding
 * kubectl reads) never crash the audit: in process, with rules in debug mode, nothing throws;
 * through the CLI, nothing exits 70, prints a stack trace or reports a rule that failed.
 * `npm run bench -- fuzz` runs many more cases.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { auditInProcess, auditThroughCli, describeFailures } from '../../bench/support/fuzz/campaigns.js';
import { auditTextsRun } from '../../src/audit/testing.js';
import { cliPath } from '../audit/cli.js';
import { BASE_SEED, corpus, scratch } from './support.js';

const dir = scratch('audit');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit fuzz', () => {
  it('in process: findings or positioned input errors, never an exception', () => {
    const failures = auditInProcess((texts) => auditTextsRun(texts), corpus, { perSeed: 4, baseSeed: BASE_SEED });
    expect(describeFailures(failures)).toBe('');
  }, 120_000);

  it('through the CLI, every encoding: exit 0, 1, 2 or 4 with a JSON report, never a crash', () => {
    const failures = auditThroughCli(cliPath, corpus, { perSeed: 3, baseSeed: BASE_SEED + 7, dir, batchSize: 100 });
    expect(describeFailures(failures)).toBe('');
  }, 180_000);

  it('through the CLI with --fix-in-place: the same, and never a half-written file', () => {
    const failures = auditThroughCli(cliPath, corpus, { perSeed: 1, baseSeed: BASE_SEED + 11, dir, batchSize: 100, extraArgs: ['--fix-in-place'] });
    expect(describeFailures(failures)).toBe('');
  }, 180_000);
});
