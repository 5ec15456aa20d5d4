import type { AuditPathsOptions } from '../audit/audit.js';
import { runAudit, type AuditRun } from '../audit/runner.js';
import { formatVersion } from '../k8s/features.js';
import { allRules } from '../audit/rules/index.js';
import type { Source } from '../audit/sources.js';
import { liveObjectYaml, locationAt } from './liveLocation.js';
import { listLiveObjects, type LiveObjectsOptions } from './liveObjects.js';

export type LiveAuditOptions = LiveObjectsOptions &
  Pick<AuditPathsOptions, 'settings' | 'severities' | 'rules' | 'debug'> & {
    /** The user chose the Kubernetes version (--kubernetes-version or .zerodrop.yaml): keep it, even if the server runs another. */
    kubernetesVersionPinned?: boolean;
  };

export interface LiveAudit {
  run: AuditRun;
  context: string;
  /** undefined: all namespaces. */
  namespace: string | undefined;
  /** Kinds that could not be listed, and why (their rules stayed silent). */
  skipped: string[];
  /** For the user: the version judged against, how we connected. */
  notes: string[];
}

/**
 * `zerodrop audit --cluster`: the audit's rules on live objects, judged against the Kubernetes
 * version the server reports (feature rules: the sleep action, native sidecars, ...) unless the
 * user chose one. Each object becomes one YAML source named `kind/namespace/name`, and every
 * finding gets a JSON-path-like `location` in that object, because there is no file whose line
 * numbers would mean anything to the user.
 */
export async function auditLiveObjects(options: LiveAuditOptions): Promise<LiveAudit> {
  const live = await listLiveObjects(options);
  const sources: Source[] = live.objects.map((o) => ({ file: o.ref, text: liveObjectYaml(o), kind: 'yaml', origin: 'file' }));
  const notes = [...live.notes];
  const server = live.serverVersion;
  let settings = options.settings;
  if (server && !options.kubernetesVersionPinned) {
    settings = { ...settings, kubernetesVersion: server.version };
    notes.push(`judged as Kubernetes ${formatVersion(server.version)}, the version the server runs (${server.gitVersion}); --kubernetes-version overrides it`);
  } else if (server && formatVersion(server.version) !== formatVersion(settings.kubernetesVersion)) {
    notes.push(`judged as Kubernetes ${formatVersion(settings.kubernetesVersion)} as configured, although the server runs ${server.gitVersion}`);
  } else if (!server) {
    notes.push(`the server did not say its version (GET /version): judged as Kubernetes ${formatVersion(settings.kubernetesVersion)}`);
  }
  const run = runAudit(sources, {
    settings,
    rules: options.rules ?? allRules,
    ...(options.severities ? { severities: options.severities } : {}),
    ...(options.debug ? { debug: true } : {}),
  });
  const text = new Map(sources.map((s) => [s.file, s.text]));
  for (const finding of run.findings) {
    const yaml = text.get(finding.file);
    if (yaml !== undefined) finding.location = locationAt(yaml, finding.line, finding.column);
  }
  return { run, context: live.context, namespace: live.namespace, skipped: live.skipped, notes };
}
