/**
 * `--fix`: one kustomize strategic-merge patch per workload with fixable findings, every rule's
 * patch merged, in the form the seed demo repo uses (apiVersion, kind, metadata.name, then the
 * partial spec), ready for `patchesStrategicMerge`/`patches`.
 */
import { stringify } from 'yaml';
import type { StrategicPatch } from '../types.js';
import type { DetailedFinding } from '../runner.js';
import type { LocatedObject } from '../yamlSource.js';
import { mergePatches } from '../patch.js';

export interface WorkloadFix {
  located: LocatedObject;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  patch: StrategicPatch;
  /** rule ids (with containers) the patch resolves. */
  resolves: string[];
}

export function collectFixes(details: readonly DetailedFinding[]): WorkloadFix[] {
  const byObject = new Map<LocatedObject, WorkloadFix>();
  for (const d of details) {
    if (!d.patch || !d.located) continue;
    const o = d.located.object;
    let fix = byObject.get(d.located);
    if (!fix) {
      fix = {
        located: d.located,
        apiVersion: String(o.apiVersion ?? ''),
        kind: String(o.kind ?? ''),
        name: String(o.metadata?.name ?? ''),
        namespace: typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : undefined,
        patch: {},
        resolves: [],
      };
      byObject.set(d.located, fix);
    }
    fix.patch = mergePatches(fix.patch, d.patch);
    const label = d.finding.container ? `${d.finding.rule} (${d.finding.container})` : d.finding.rule;
    if (!fix.resolves.includes(label)) fix.resolves.push(label);
  }
  return [...byObject.values()];
}

export function kustomizePatchDocument(fix: WorkloadFix): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: fix.name };
  if (fix.namespace !== undefined) metadata.namespace = fix.namespace;
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = fix.patch;
  return { apiVersion: fix.apiVersion, kind: fix.kind, metadata, ...rest };
}

export function formatFixPatches(fixes: readonly WorkloadFix[]): string {
  if (fixes.length === 0) return '# zerodrop --fix: no fixable findings\n';
  return fixes
    .map((f) => {
      const header = [
        `# zerodrop --fix: strategic-merge patch for ${f.kind} ${f.namespace ?? 'default'}/${f.name} (${f.located.source.file})`,
        `# resolves: ${f.resolves.join(', ')}`,
        "# add to kustomization.yaml:  patches: [{path: <this file>}]  (or patchesStrategicMerge, as the talk's demo repo does)",
      ].join('\n');
      return `${header}\n${stringify(kustomizePatchDocument(f), { indentSeq: true })}`;
    })
    .join('---\n');
}
