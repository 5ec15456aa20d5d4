import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { KubeconfigEntries } from './kubeconfigFile.js';

/** Where the kubelet mounts a pod's service-account token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The configuration of a process running in a pod, as client-go's rest.InClusterConfig builds it:
 * https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT (IPv6 in brackets), the mounted CA,
 * and the mounted token as a token file (re-read, since the kubelet rotates it). The namespace is
 * POD_NAMESPACE, else the mounted namespace file (clientcmd inClusterClientConfig.Namespace).
 */
export function inClusterEntries(env: NodeJS.ProcessEnv, dir: string): KubeconfigEntries {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`;
  const namespaceFile = join(dir, 'namespace');
  const namespace = env.POD_NAMESPACE || (existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined);
  return {
    file: dir,
    currentContext: 'in-cluster',
    clusters: [{ name: 'in-cluster', server, certificateAuthority: join(dir, 'ca.crt'), insecureSkipTlsVerify: false }],
    users: [{ name: 'service-account', tokenFile: join(dir, 'token') }],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account', ...(namespace ? { namespace } : {}) }],
  };
}
