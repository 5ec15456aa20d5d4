/**
 * The property --fix-in-place promises, over every YAML fixture and seeded variations of it
 * (comments everywhere, CRLF, a BOM, UTF-16, flow style, other indentation, JSON, anchors and
 * aliases, merge keys, tags, duplicate keys): the file is byte-identical afterwards, or it is
 * exactly the original plus the fix. `npm run bench -- fuzz` runs many more cases.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { describeFailures, type FixInPlaceTally, fixInPlaceProperty } from '../../bench/support/fuzz/campaigns.js';
import { BASE_SEED, corpus, fixInPlaceApi, scratch } from './support.js';

const dir = scratch('fix');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--fix-in-place property', () => {
  it('every fixture, unchanged and mutated: byte-identical, or exactly original + fix', async () => {
    const tally: FixInPlaceTally = { written: 0, unchanged: 0 };
    const unchanged = await fixInPlaceProperty(fixInPlaceApi, corpus, { perSeed: 1, baseSeed: 0, dir: `${dir}/plain`, tally });
    const mutated = await fixInPlaceProperty(fixInPlaceApi, corpus, { perSeed: 3, baseSeed: BASE_SEED, dir: `${dir}/mutated`, tally });
    expect(describeFailures([...unchanged, ...mutated])).toBe('');
    // The property says nothing if nothing was ever rewritten: a good share of the cases must be.
    expect(tally.written).toBeGreaterThan((tally.written + tally.unchanged) / 10);
  }, 120_000);
});
