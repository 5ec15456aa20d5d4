/**
 * The fix-in-place property's view of the code under test, built from the modules it needs, so
 * the suite (on the sources) and `npm run bench -- fuzz` (on dist/) wire the same API.
 */
import type { FixInPlaceApi } from './campaigns.js';

interface Located {
  document: unknown;
  basePath: ReadonlyArray<string | number>;
}
interface Fix {
  kind: string;
  name: string;
  patch: Record<string, unknown>;
  resolves: string[];
  located: Located;
}
interface Run {
  parseFailed: boolean;
  details: unknown;
  yamlSources: ReadonlyArray<{ documents: readonly unknown[] }>;
  findings: ReadonlyArray<{ rule: string; container?: string | null; object?: { kind: string; name: string } | null }>;
}

export interface FixInPlaceModules<R extends Run, F extends Fix> {
  audit(path: string): Promise<R>;
  collectFixes(details: R['details']): F[];
  applyFixesInPlace(fixes: F[], sources: R['yamlSources']): { written: readonly unknown[] };
  applyPatch(target: unknown, patch: Record<string, unknown>): unknown;
  decodeText(bytes: Buffer): { text: string } | { problem: string };
}

export function fixInPlaceApiOf<R extends Run, F extends Fix>(m: FixInPlaceModules<R, F>): FixInPlaceApi {
  return {
    async fixFile(path) {
      const run = await m.audit(path);
      if (run.parseFailed) return { written: false, fixes: [] };
      const fixes = m.collectFixes(run.details);
      const outcome = m.applyFixesInPlace(fixes, run.yamlSources);
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
      const run = await m.audit(path);
      return run.findings.map((f) => `${f.object?.kind} ${f.object?.name} ${f.container ? `${f.rule} (${f.container})` : f.rule}`);
    },
    applyPatch: (t, p) => m.applyPatch(t, p),
    decode: (bytes) => {
      const d = m.decodeText(bytes);
      if (!('text' in d)) throw new Error(d.problem);
      return d.text;
    },
  };
}
