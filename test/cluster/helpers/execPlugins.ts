/**
 * Credential plugins written by the tests as small sh scripts, behaving like the real ones
 * (aws eks get-token, gke-gcloud-auth-plugin, kubelogin): each run is counted in a file, and
 * KUBERNETES_EXEC_INFO is saved where the test can read it.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PluginFiles {
  command: string;
  /** Lines appended once per run. */
  runs: () => number;
  /** KUBERNETES_EXEC_INFO of the last run. */
  execInfo: () => Record<string, any> | undefined;
}

/** An ExecCredential on stdout (client.authentication.k8s.io/v1beta1 unless told). */
export function credentialJson(status: Record<string, unknown>, apiVersion = 'client.authentication.k8s.io/v1beta1'): string {
  return JSON.stringify({ kind: 'ExecCredential', apiVersion, spec: {}, status });
}

/** Writes an executable sh script `name` in `dir`; `body` runs after the bookkeeping. */
export function writePlugin(dir: string, name: string, body: string): PluginFiles {
  const command = join(dir, name);
  const runs = join(dir, `${name}.runs`);
  const info = join(dir, `${name}.exec-info`);
  writeFileSync(command, `#!/bin/sh\necho run >> '${runs}'\nprintf '%s' "$KUBERNETES_EXEC_INFO" > '${info}'\n${body}\n`);
  chmodSync(command, 0o755);
  return {
    command,
    runs: () => (existsSync(runs) ? readFileSync(runs, 'utf8').split('\n').filter(Boolean).length : 0),
    execInfo: () => (existsSync(info) ? (JSON.parse(readFileSync(info, 'utf8')) as Record<string, any>) : undefined),
  };
}

/** A plugin printing `credential` (shell-quoted) and exiting 0. */
export function tokenPlugin(dir: string, name: string, status: Record<string, unknown>, apiVersion?: string): PluginFiles {
  return writePlugin(dir, name, `cat <<'JSON'\n${credentialJson(status, apiVersion)}\nJSON`);
}
