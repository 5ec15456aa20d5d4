import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ClusterEntry } from './kubeconfigFile.js';

/** The certificates an API server's certificate is checked against, and where they came from. */
export interface TrustAnchors {
  /** PEM certificates; undefined means Node's bundled roots (plus NODE_EXTRA_CA_CERTS). */
  ca: string[] | undefined;
  /** For messages: `the certificate-authority of cluster "x"`, `the system trust store (/etc/ssl/certs/ca-certificates.crt)`. */
  source: string;
  fromKubeconfig: boolean;
}

/**
 * The CA bundles Go looks for on Linux, in its order (crypto/x509/root_linux.go); the first one
 * that exists is the system store. SSL_CERT_FILE replaces the list, SSL_CERT_DIR adds directories.
 */
export const SYSTEM_CA_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

/**
 * What kubectl trusts for this cluster: the kubeconfig's certificate-authority(-data) alone when
 * it has one (client-go builds a pool of just that CA), otherwise the operating system's trust
 * store, where private and corporate TLS-inspection CAs are installed, with NODE_EXTRA_CA_CERTS
 * added. Where no system bundle file exists (macOS, Windows), Node's bundled roots are used.
 */
export function trustAnchors(cluster: ClusterEntry, env: NodeJS.ProcessEnv): TrustAnchors {
  if (cluster.certificateAuthorityData) {
    return {
      ca: [Buffer.from(cluster.certificateAuthorityData, 'base64').toString('utf8')],
      source: `the certificate-authority-data of cluster "${cluster.name}"`,
      fromKubeconfig: true,
    };
  }
  if (cluster.certificateAuthority) {
    return {
      ca: [readFileSync(cluster.certificateAuthority, 'utf8')],
      source: `the certificate-authority of cluster "${cluster.name}" (${cluster.certificateAuthority})`,
      fromKubeconfig: true,
    };
  }
  const files = env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : SYSTEM_CA_FILES;
  const file = files.find((f) => existsSync(f));
  const pems: string[] = [];
  const used: string[] = [];
  if (file) {
    pems.push(readFileSync(file, 'utf8'));
    used.push(file);
  }
  for (const dir of (env.SSL_CERT_DIR ?? '').split(delimiter).filter(Boolean)) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isFile()) pems.push(readFileSync(path, 'utf8'));
    }
    used.push(dir);
  }
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (pems.length === 0)
    return { ca: undefined, source: `Node's bundled root certificates${extra ? ` and NODE_EXTRA_CA_CERTS (${extra})` : ''}`, fromKubeconfig: false };
  if (extra && existsSync(extra)) {
    pems.push(readFileSync(extra, 'utf8'));
    used.push(`NODE_EXTRA_CA_CERTS ${extra}`);
  }
  return { ca: pems, source: `the system trust store (${used.join(', ')})`, fromKubeconfig: false };
}
