/**
 * The lab's configuration path (lab file, manifests, workload plan), the code `zerodrop lab` runs
 * before it starts any process, on mutated lab files and manifests: every outcome is a
 * configured run or a ZerodropError, which the CLI prints as one line with its exit code; any
 * other exception would be exit 70 with "internal error".
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { describeFailures, labConfiguration } from '../../bench/support/fuzz/campaigns.js';
import { ZerodropError } from '../../src/errors.js';
import { readLabFile } from '../../src/lab/config/labFile.js';
import { configureFromLabFile } from '../../src/lab/run/configure.js';
import { BASE_SEED, corpus, repoRoot, scratch } from './support.js';

const dir = scratch('lab');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lab configuration fuzz', () => {
  it('mutated lab files and manifests configure a run or fail with a one-line user error', async () => {
    const failures = await labConfiguration(
      {
        configure: (file) => configureFromLabFile(readLabFile(file), { seed: 1 }, 'zerodrop lab fuzz'),
        isUserError: (err) => err instanceof ZerodropError,
      },
      corpus,
      { perSeed: 40, baseSeed: BASE_SEED, dir, repoRoot },
    );
    expect(describeFailures(failures)).toBe('');
  }, 120_000);
});
