/** The fuzz campaigns wired to the sources (the bench wires the same campaigns to dist/). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedCorpus } from '../../bench/support/fuzz/corpus.js';
import type { FixInPlaceApi } from '../../bench/support/fuzz/campaigns.js';
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

export const fixInPlaceApi: FixInPlaceApi = {
  async fixFile(path) {
    const run = await auditPaths([path], { settings: defaultSettings() });
    if (run.parseFailed) return { written: false, fixes: [] };
    const fixes = collectFixes(run.details);
    const outcome = applyFixesInPlace(fixes, run.yamlSources);
    return {
      written: outcome.written.length > 0,
      fixes: fixes.map((f) => {
        const { apiVersion: _a, kind: _k, metadata: _m, ...patch } = f.patch;
        const src = run.yamlSources.find((s) => s.documents.includes(f.located.document))!;
        return {
          documentIndex: src.documents.indexOf(f.located.document),
          basePath: [...f.located.basePath],
          patch,
          object: `${f.kind} ${f.name}`,
          resolves: f.resolves,
        };
      }),
    };
  },
  async findingLabels(path) {
    const run = await auditPaths([path], { settings: defaultSettings() });
    return run.findings.map((f) => `${f.object?.kind} ${f.object?.name} ${f.container ? `${f.rule} (${f.container})` : f.rule}`);
  },
  applyPatch: (t, p) => applyPatch(t, p),
  decode: (bytes) => {
    const d = decodeText(bytes);
    if (!('text' in d)) throw new Error(d.problem);
    return d.text;
  },
};
