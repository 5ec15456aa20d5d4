import type { AuditPathsOptions } from '../audit/audit.js';
import { runAudit, type AuditRun } from '../audit/runner.js';
import { allRules } from '../audit/rules/index.js';
import type { Source } from '../audit/sources.js';
import { liveObjectYaml, locationAt } from './liveLocation.js';
import { listLiveObjects, type LiveObjectsOptions } from './liveObjects.js';

export type LiveAuditOptions = LiveObjectsOptions & Pick<AuditPathsOptions, 'settings' | 'severities' | 'rules' | 'debug'>;

export interface LiveAudit {
  run: AuditRun;
  context: string;
  /** undefined: all namespaces. */
  namespace: string | undefined;
  /** Kinds that could not be listed, and why (their rules stayed silent). */
  skipped: string[];
}

/**
 * `zerodrop audit --cluster`: the audit's rules on live objects. Each object becomes one YAML
 * source named `kind/namespace/name`, and every finding gets a JSON-path-like `location` in
 * that object, because there is no file whose line numbers would mean anything to the user.
 */
export async function auditLiveObjects(options: LiveAuditOptions): Promise<LiveAudit> {
  const live = await listLiveObjects(options);
  const sources: Source[] = live.objects.map((o) => ({ file: o.ref, text: liveObjectYaml(o), kind: 'yaml', origin: 'file' }));
  const run = runAudit(sources, {
    settings: options.settings,
    rules: options.rules ?? allRules,
    ...(options.severities ? { severities: options.severities } : {}),
    ...(options.debug ? { debug: true } : {}),
  });
  const text = new Map(sources.map((s) => [s.file, s.text]));
  for (const finding of run.findings) {
    const yaml = text.get(finding.file);
    if (yaml !== undefined) finding.location = locationAt(yaml, finding.line, finding.column);
  }
  return { run, context: live.context, namespace: live.namespace, skipped: live.skipped };
}
