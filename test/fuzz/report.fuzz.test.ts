/**
 * `zerodrop report` on mutated events files (fields dropped or retyped, values out of range,
 * lines cut or repeated): an HTML report or a one-line error with exit 2, never exit 70 or a
 * stack trace. `npm run bench -- fuzz` runs many more cases.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { describeFailures, reportThroughCli } from '../../bench/support/fuzz/campaigns.js';
import { seedEventStreams } from '../../bench/support/fuzz/events.js';
import { cliPath } from '../audit/cli.js';
import { BASE_SEED, scratch } from './support.js';

const dir = scratch('report');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report fuzz', () => {
  it('the seed streams render (so the mutations start from valid input)', () => {
    expect(describeFailures(reportThroughCli(cliPath, seedEventStreams(), { perSeed: 0, baseSeed: 0, dir }))).toBe('');
  });
  it('mutated events files: a report or a one-line error, never a crash', () => {
    const failures = reportThroughCli(cliPath, seedEventStreams(), { perSeed: 3, baseSeed: BASE_SEED, dir });
    expect(describeFailures(failures)).toBe('');
  }, 120_000);
});
