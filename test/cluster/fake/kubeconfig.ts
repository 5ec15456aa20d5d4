/** Kubeconfig files pointing at a fake API server, written the way kubectl reads them. */
import { stringify } from 'yaml';
import { FAKE_TOKEN } from './router.js';

export interface KubeconfigSpec {
  context?: string;
  namespace?: string;
  /** Bearer token (default the fake's); `null` writes a user without one. */
  token?: string | null;
  /** Extra fields of the cluster entry (certificate-authority, proxy-url, tls-server-name, ...). */
  cluster?: Record<string, unknown>;
  /** The whole user entry, replacing the token. */
  user?: Record<string, unknown>;
}

export function kubeconfigObject(server: string, spec: KubeconfigSpec = {}): Record<string, unknown> {
  const context = spec.context ?? 'fake';
  const user = spec.user ?? (spec.token === null ? {} : { token: spec.token ?? FAKE_TOKEN });
  return {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': context,
    clusters: [{ name: `${context}-cluster`, cluster: { server, ...spec.cluster } }],
    contexts: [{ name: context, context: { cluster: `${context}-cluster`, user: `${context}-user`, namespace: spec.namespace ?? 'shop' } }],
    users: [{ name: `${context}-user`, user }],
  };
}

export function kubeconfigYaml(server: string, spec: KubeconfigSpec = {}): string {
  return stringify(kubeconfigObject(server, spec));
}
