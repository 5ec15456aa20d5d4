import { readFileSync } from 'node:fs';
import { ZerodropError } from '../errors.js';
import { execPluginFor, type ExecPluginOptions } from './execCredential.js';
import type { ClusterEntry, UserEntry } from './kubeconfigFile.js';

export interface ClientCert {
  cert: string;
  key: string;
}

/** What one request carries to prove who we are. */
export interface Credential {
  authorization?: string;
  clientCert?: ClientCert;
}

export interface CredentialSource {
  /** For messages: `a token`, `the token file /path`, `the credential plugin "aws eks get-token ..."`. */
  readonly describe: string;
  /** True when a 401 may be cured by asking again (a plugin, a token file that rotates). */
  readonly refreshable: boolean;
  get(): Promise<Credential>;
  /** The API server answered 401 to `used`: renew it if that can help; true means retry once. */
  rejected(used: Credential): Promise<boolean>;
}

const TOKEN_FILE_REREAD_MS = 60_000;

const bearer = (token: string) => `Bearer ${token}`;

function pem(data: string | undefined, file: string | undefined): string | undefined {
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  return file ? readFileSync(file, 'utf8') : undefined;
}

const fixed = (describe: string, credential: Credential): CredentialSource => ({
  describe,
  refreshable: false,
  get: async () => credential,
  rejected: async () => false,
});

/**
 * The credential of the kubeconfig user, in client-go's precedence: a token, else a token file,
 * else a username and password, each with the client certificate if one is given; else the client
 * certificate alone; else a credential plugin (never run when any of the above is set, as in
 * client-go); else an auth-provider. A token file is trimmed (a trailing newline is not part of the
 * token, transport/token_source.go) and read again every minute and after a 401, since its owner
 * rotates it (a pod's projected service-account token).
 */
export function credentialsFor(user: UserEntry | undefined, cluster: ClusterEntry, context: string, exec: ExecPluginOptions = {}): CredentialSource {
  if (!user) return fixed('no credentials', {});
  const certPem = pem(user.clientCertificateData, user.clientCertificate);
  const keyPem = pem(user.clientKeyData, user.clientKey);
  const clientCert = certPem && keyPem ? { clientCert: { cert: certPem, key: keyPem } } : {};
  if (user.token) return fixed(`the token of user "${user.name}"`, { authorization: bearer(user.token), ...clientCert });
  if (user.tokenFile) return tokenFile(user.name, user.tokenFile, clientCert);
  if (user.username !== undefined || user.password !== undefined) {
    const basic = Buffer.from(`${user.username ?? ''}:${user.password ?? ''}`).toString('base64');
    return fixed(`the username and password of user "${user.name}"`, { authorization: `Basic ${basic}`, ...clientCert });
  }
  if (certPem && keyPem) return fixed(`the client certificate of user "${user.name}"`, clientCert);
  if (user.exec) {
    const plugin = execPluginFor(user.exec, cluster, context, exec);
    const toCredential = (c: { token?: string; clientCert?: ClientCert }): Credential => ({
      ...(c.token ? { authorization: bearer(c.token) } : {}),
      ...(c.clientCert ? { clientCert: c.clientCert } : {}),
    });
    let last: { raw: Awaited<ReturnType<typeof plugin.get>>; credential: Credential } | undefined;
    return {
      describe: `the credential plugin "${plugin.describe}"`,
      refreshable: true,
      get: async () => {
        const raw = await plugin.get();
        if (last?.raw !== raw) last = { raw, credential: toCredential(raw) };
        return last.credential;
      },
      rejected: async (used) => {
        const raw = last && last.credential === used ? last.raw : undefined;
        const fresh = await plugin.refresh(raw);
        return fresh !== raw;
      },
    };
  }
  if (user.authProvider) return authProvider(user, cluster, context);
  return fixed('no credentials', {});
}

function tokenFile(userName: string, file: string, clientCert: Partial<Credential>): CredentialSource {
  let cached: { credential: Credential; readAt: number } | undefined;
  const read = (): Credential => {
    let token: string;
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ZerodropError(
        'cluster-token-file',
        `cannot read the token-file of user "${userName}": ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        { cause: err },
      );
    }
    const credential = { authorization: bearer(token), ...clientCert };
    cached = { credential, readAt: Date.now() };
    return credential;
  };
  return {
    describe: `the token file ${file}`,
    refreshable: true,
    get: async () => (cached && Date.now() - cached.readAt < TOKEN_FILE_REREAD_MS ? cached.credential : read()),
    rejected: async (used) => read().authorization !== used.authorization,
  };
}

/**
 * Legacy auth-provider entries. kubectl dropped gcp and azure in 1.26 and says which plugin
 * replaces them; oidc it still supports, and so do we, through @kubernetes/client-node (loaded
 * only here: it takes seconds to import).
 */
function authProvider(user: UserEntry, cluster: ClusterEntry, context: string): CredentialSource {
  const name = user.authProvider!.name;
  const removed: Record<string, string> = {
    gcp: 'the gcp auth-provider was removed from kubectl in Kubernetes 1.26; use the gke-gcloud-auth-plugin credential plugin (gcloud components install gke-gcloud-auth-plugin, then gcloud container clusters get-credentials CLUSTER; https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke)',
    azure:
      'the azure auth-provider was removed from kubectl in Kubernetes 1.26; use the kubelogin credential plugin (az aks install-cli, then kubelogin convert-kubeconfig -l azurecli; https://azure.github.io/kubelogin/)',
  };
  if (name !== 'oidc') {
    throw new ZerodropError(
      'cluster-auth-provider',
      `user "${user.name}" of context "${context}" uses auth-provider "${name}": ${removed[name] ?? 'kubectl knows only the oidc auth-provider; use a client-go credential plugin (exec) instead'}`,
    );
  }
  return {
    describe: `the oidc auth-provider of user "${user.name}"`,
    refreshable: false,
    get: async () => {
      const { KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: cluster.name, server: cluster.server, skipTLSVerify: cluster.insecureSkipTlsVerify }],
        users: [{ name: user.name, authProvider: user.authProvider }],
        contexts: [{ name: context, cluster: cluster.name, user: user.name }],
        currentContext: context,
      });
      const opts: { headers?: Record<string, string> } = {};
      await kc.applyToHTTPSOptions(opts);
      const authorization = opts.headers?.Authorization;
      return authorization ? { authorization } : {};
    },
    rejected: async () => false,
  };
}
