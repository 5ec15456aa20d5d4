import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ZerodropError } from '../errors.js';
import { inClusterEntries, SERVICE_ACCOUNT_DIR } from './inCluster.js';
import { readKubeconfigFile, type ClusterEntry, type ContextEntry, type KubeconfigEntries, type UserEntry } from './kubeconfigFile.js';

export type { ClusterEntry, ExecConfig, Impersonation, UserEntry } from './kubeconfigFile.js';

export interface KubeconfigOptions {
  /** --kubeconfig: exactly this file, as kubectl does (no merging with KUBECONFIG). */
  kubeconfig?: string;
  /** --context: a context name from the loaded config. */
  context?: string;
  /** For tests: the environment to read KUBECONFIG, HOME and the in-cluster variables from. */
  env?: NodeJS.ProcessEnv;
  /** For tests: where a pod's service-account token, CA and namespace are mounted. */
  serviceAccountDir?: string;
}

export interface LoadedKubeconfig {
  context: string;
  server: string;
  /** The context's namespace (in a pod: POD_NAMESPACE or the service account's). */
  namespace: string | undefined;
  cluster: ClusterEntry;
  /** undefined: the context names no user (or one the files do not define): no credentials. */
  user: UserEntry | undefined;
  /** Where the configuration came from, for messages. */
  source: string;
  inCluster: boolean;
  /** Things kubectl would also tolerate but the user should know (a user entry that is missing, ...). */
  warnings: string[];
}

const invalid = (message: string, file?: string) => new ZerodropError('kubeconfig-invalid', message, { ...(file ? { position: { file } } : {}) });

/**
 * Loads credentials the way kubectl does (client-go clientcmd loading rules): --kubeconfig names
 * one file, which must exist; otherwise every existing file of KUBECONFIG (a path list) is
 * merged, where for each cluster, user and context name the first file to define it wins, and so
 * does the first current-context; missing files are skipped; otherwise ~/.kube/config; otherwise,
 * inside a pod, the service account (KUBERNETES_SERVICE_HOST/PORT). Only the context in use is
 * validated (clientcmd ConfirmUsable), so an incomplete entry elsewhere does not stop the run.
 */
export function loadKubeconfig(options: KubeconfigOptions = {}): LoadedKubeconfig {
  const env = options.env ?? process.env;
  const home = env.HOME ?? homedir();
  const defaultFile = join(home, '.kube', 'config');
  if (options.kubeconfig !== undefined && !existsSync(options.kubeconfig)) {
    throw new ZerodropError('input-unreadable', `--kubeconfig ${options.kubeconfig}: no such file`);
  }
  const listed =
    options.kubeconfig !== undefined ? [options.kubeconfig] : env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter((p) => p !== '') : [defaultFile];
  const source = options.kubeconfig ?? (env.KUBECONFIG ? `KUBECONFIG=${env.KUBECONFIG}` : defaultFile);
  const files = [...new Set(listed)].filter((f) => existsSync(f)).map(readKubeconfigFile);
  const merged = merge(files);
  const empty = merged.contexts.length === 0 && merged.clusters.length === 0 && merged.users.length === 0;
  if (empty && options.kubeconfig === undefined && env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) {
    return select(inClusterEntries(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR), 'in-cluster service account', options.context, true);
  }
  if (files.length === 0) {
    throw new ZerodropError('kubeconfig-missing', `no kubeconfig found (looked at ${source}); pass --kubeconfig FILE or set KUBECONFIG`);
  }
  return select(merged, source, options.context, false);
}

function merge(files: readonly KubeconfigEntries[]): KubeconfigEntries {
  const firstByName = <T extends { name: string }>(lists: T[][]) => {
    const out = new Map<string, T>();
    for (const l of lists) for (const e of l) if (!out.has(e.name)) out.set(e.name, e);
    return [...out.values()];
  };
  const currentContext = files.map((f) => f.currentContext).find((c) => c !== undefined);
  return {
    file: files.map((f) => f.file).join(delimiter),
    ...(currentContext === undefined ? {} : { currentContext }),
    clusters: firstByName(files.map((f) => f.clusters)),
    users: firstByName(files.map((f) => f.users)),
    contexts: firstByName(files.map((f) => f.contexts)),
  };
}

function select(config: KubeconfigEntries, source: string, wanted: string | undefined, inCluster: boolean): LoadedKubeconfig {
  const known = config.contexts.map((c) => c.name);
  const name = wanted ?? config.currentContext;
  if (wanted !== undefined && !known.includes(wanted)) {
    throw new ZerodropError(
      'kubeconfig-unknown-context',
      `--context ${wanted} is not in the kubeconfig (known: ${known.length > 0 ? known.join(', ') : 'none'})`,
      {},
    );
  }
  const context: ContextEntry | undefined = config.contexts.find((c) => c.name === name);
  if (!context) {
    const why = name === undefined ? 'has no current-context' : `names current-context "${name}", which it does not define`;
    throw new ZerodropError(
      'kubeconfig-no-cluster',
      `the kubeconfig (${source}) ${why}; pass --context (known: ${known.length > 0 ? known.join(', ') : 'none'})`,
      {},
    );
  }
  const cluster = config.clusters.find((c) => c.name === context.cluster);
  if (!cluster || cluster.server === '') {
    const why =
      context.cluster === undefined
        ? 'names no cluster'
        : !cluster
          ? `names cluster "${context.cluster}", which it does not define`
          : `uses cluster "${cluster.name}", which has no server`;
    throw new ZerodropError('kubeconfig-no-cluster', `context "${context.name}" in the kubeconfig (${source}) ${why}; pass --context`);
  }
  const warnings: string[] = [];
  const user = config.users.find((u) => u.name === context.user);
  if (context.user !== undefined && !user)
    warnings.push(`context "${context.name}" names user "${context.user}", which the kubeconfig does not define: connecting without credentials`);
  validateCluster(cluster);
  if (user) validateUser(user);
  return { context: context.name, server: cluster.server, namespace: context.namespace, cluster, user, source, inCluster, warnings };
}

/** What clientcmd's validateClusterInfo refuses for the cluster in use. */
function validateCluster(c: ClusterEntry): void {
  if (c.insecureSkipTlsVerify && (c.certificateAuthority || c.certificateAuthorityData)) {
    throw invalid(
      `cluster "${c.name}": specifying a root certificates file with the insecure flag is not allowed (remove insecure-skip-tls-verify or the certificate-authority)`,
    );
  }
  if (c.certificateAuthority && !c.certificateAuthorityData) readable(c.certificateAuthority, `certificate-authority of cluster "${c.name}"`);
  if (c.proxyUrl) {
    let protocol = '';
    try {
      protocol = new URL(c.proxyUrl).protocol;
    } catch {
      throw invalid(`cluster "${c.name}": proxy-url ${c.proxyUrl} is not a URL`);
    }
    if (!['http:', 'https:', 'socks5:', 'socks5h:'].includes(protocol))
      throw invalid(`cluster "${c.name}": proxy-url ${c.proxyUrl}: only http, https and socks5 proxies are supported`);
  }
}

/** What clientcmd's validateAuthInfo refuses for the user in use. */
function validateUser(u: UserEntry): void {
  const methods = [u.token !== undefined && 'token', (u.username !== undefined || u.password !== undefined) && 'basicAuth'].filter(Boolean);
  if (methods.length > 1) throw invalid(`user "${u.name}": more than one authentication method (${methods.join(', ')}); only one is allowed`);
  if (u.clientCertificate !== undefined || u.clientCertificateData !== undefined) {
    if (u.clientKey === undefined && u.clientKeyData === undefined)
      throw invalid(`user "${u.name}": client-key-data or client-key must be given with a client certificate`);
    if (u.clientCertificate && !u.clientCertificateData) readable(u.clientCertificate, `client-certificate of user "${u.name}"`);
    if (u.clientKey && !u.clientKeyData) readable(u.clientKey, `client-key of user "${u.name}"`);
  }
  if (u.exec && u.authProvider) throw invalid(`user "${u.name}": auth-provider cannot be combined with an exec plugin`);
  if (u.exec && u.exec.apiVersion === '') throw invalid(`user "${u.name}": exec needs an apiVersion (client.authentication.k8s.io/v1 or v1beta1)`);
  const imp = u.impersonate;
  if (imp && !imp.user && (imp.uid || imp.groups.length > 0 || Object.keys(imp.extra).length > 0)) {
    throw invalid(`user "${u.name}": as-groups, as-uid or as-user-extra need "as" (the user to impersonate)`);
  }
}

function readable(file: string, what: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    throw invalid(`cannot read the ${what}: ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
