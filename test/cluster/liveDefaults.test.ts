import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { withApiDefaults } from './helpers/apiDefaults.js';
import { liveObjectYaml } from '../../src/cluster/liveLocation.js';
import { asManifest } from '../../src/cluster/liveObjects.js';
import { runAudit } from '../../src/audit/runner.js';
import { allRules } from '../../src/audit/rules/index.js';
import { defaultSettings } from '../../src/audit/settings.js';
import type { Source } from '../../src/audit/sources.js';
import type { KubeObject } from '../../src/k8s/objects.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** apiVersions the API server serves these kinds as today; anything older comes back converted, so it is not compared. */
const LIVE_API = new Map([
  ['Deployment', 'apps/v1'],
  ['StatefulSet', 'apps/v1'],
  ['DaemonSet', 'apps/v1'],
  ['Service', 'v1'],
  ['PodDisruptionBudget', 'policy/v1'],
  ['HorizontalPodAutoscaler', 'autoscaling/v2'],
  ['Ingress', 'networking.k8s.io/v1'],
]);

/** Every manifest file of the examples and the rule fixtures: the patterns the rules were written against. */
function manifestFiles(): string[] {
  const dirs = [join(ROOT, 'examples'), join(ROOT, 'src', 'audit', 'rules', 'fixtures'), join(ROOT, 'test', 'fixtures', 'k8s-api', 'live')];
  return dirs
    .flatMap((d) => readdirSync(d, { recursive: true, withFileTypes: true }).map((e) => join(e.parentPath, e.name)))
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.lab.yaml'))
    .sort();
}

function objectsOf(file: string): KubeObject[] {
  try {
    return parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJS() as KubeObject | null)
      .filter((o): o is KubeObject => !!o && typeof o === 'object' && LIVE_API.get(String(o.kind)) === o.apiVersion);
  } catch {
    return [];
  }
}

/** Findings as the user would read them: rule, object and container (positions differ between the two texts by construction). */
function findings(objects: KubeObject[]): string[] {
  const sources: Source[] = objects.map((o, i) => ({
    file: `${o.kind}/${o.metadata?.name ?? i}`,
    text: liveObjectYaml({ object: o, ref: '' }),
    kind: 'yaml',
    origin: 'file',
  }));
  const run = runAudit(sources, { settings: defaultSettings(), rules: allRules });
  return run.findings.map((f) => `${f.rule} ${f.object?.kind}/${f.object?.name}${f.container ? ` container ${f.container}` : ''}`).sort();
}

describe('audit --cluster on live objects, which carry every API default', () => {
  const cases = manifestFiles()
    .map((f) => [relative(ROOT, f), objectsOf(f)] as const)
    .filter(([, objects]) => objects.length > 0);

  it('covers the patterns the rules were written against, findings included', () => {
    expect(cases.length).toBeGreaterThan(40);
    expect(cases.flatMap(([, objects]) => findings(objects as KubeObject[])).length).toBeGreaterThan(50);
  });

  it.each(cases)('%s: the same findings as the manifest itself', (_file, objects) => {
    const live = objects.map((o) => asManifest(withApiDefaults(o as Record<string, any>) as KubeObject));
    expect(findings(live)).toEqual(findings(objects as KubeObject[]));
  });
});
