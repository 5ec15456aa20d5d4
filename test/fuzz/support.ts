/** The fuzz campaigns wired to the sources (the bench wires the same campaigns to dist/). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedCorpus } from '../../bench/support/fuzz/corpus.js';
import type { FixInPlaceApi } from '../../bench/support/fuzz/campaigns.js';
import { fixInPlaceApiOf } from '../../bench/support/fuzz/fixInPlaceApi.js';
import { auditPaths } from '../../src/audit/audit.js';
import { collectFixes } from '../../src/audit/fix/patches.js';
import { applyFixesInPlace } from '../../src/audit/fix/inPlace.js';
import { applyPatch } from '../../src/audit/patch.js';
import { defaultSettings } from '../../src/audit/settings.js';
import { decodeText } from '../../src/audit/sources.js';
import { repoRoot } from '../audit/cli.js';

export { repoRoot };
export const corpus = seedCorpus(repoRoot);

/** ZERODROP_FUZZ_SEED replays a failure the suite printed. */
export const BASE_SEED = Number(process.env.ZERODROP_FUZZ_SEED ?? 20_251_201);

export function scratch(name: string): string {
  return mkdtempSync(join(tmpdir(), `zerodrop-fuzz-${name}-`));
}

export const fixInPlaceApi: FixInPlaceApi = fixInPlaceApiOf({
  audit: (path) => auditPaths([path], { settings: defaultSettings() }),
  collectFixes,
  applyFixesInPlace: (fixes, sources) => applyFixesInPlace(fixes, sources),
  applyPatch,
  decodeText,
});
