import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ZerodropError } from '../errors.js';

export interface KubeconfigOptions {
  /** --kubeconfig: exactly this file, as kubectl does (no merging with KUBECONFIG). */
  kubeconfig?: string;
  /** --context: a context name from the loaded config. */
  context?: string;
  /** For tests: the environment to read KUBECONFIG from. */
  env?: NodeJS.ProcessEnv;
}

export interface LoadedKubeconfig {
  config: KubeConfig;
  context: string;
  server: string;
}

/**
 * Loads credentials the way kubectl does (`clientcmd` loading rules): --kubeconfig names one
 * file; otherwise every existing file of KUBECONFIG (a path list) is merged, the first file to
 * set a name or the current context winning, and missing files are ignored; otherwise
 * ~/.kube/config; otherwise the in-cluster service account. client-node parses each file and
 * supplies credentials; the merge is ours because its loadFromDefault lets the last file win and
 * fails on a missing one.
 */
export function loadKubeconfig(options: KubeconfigOptions = {}): LoadedKubeconfig {
  const env = options.env ?? process.env;
  const home = env.HOME ?? homedir();
  const defaultFile = join(home, '.kube', 'config');
  const listed =
    options.kubeconfig !== undefined ? [options.kubeconfig] : env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter((p) => p !== '') : [defaultFile];
  const source = options.kubeconfig ?? (env.KUBECONFIG ? `KUBECONFIG=${env.KUBECONFIG}` : defaultFile);
  let config: KubeConfig;
  if (options.kubeconfig !== undefined && !existsSync(options.kubeconfig)) {
    throw new ZerodropError('input-unreadable', `--kubeconfig ${options.kubeconfig}: no such file`);
  }
  const files = listed.filter((f) => existsSync(f));
  if (files.length > 0) {
    config = mergeFiles(files);
  } else if (env.KUBERNETES_SERVICE_HOST !== undefined) {
    config = new KubeConfig();
    config.loadFromCluster();
  } else {
    throw new ZerodropError('kubeconfig-missing', `no kubeconfig found (looked at ${source}); pass --kubeconfig FILE or set KUBECONFIG`);
  }
  if (options.context !== undefined) {
    if (!config.getContextObject(options.context)) {
      const known = config.getContexts().map((c) => c.name);
      throw new ZerodropError(
        'kubeconfig-unknown-context',
        `--context ${options.context} is not in the kubeconfig (known: ${known.length > 0 ? known.join(', ') : 'none'})`,
      );
    }
    config.setCurrentContext(options.context);
  }
  const cluster = config.getCurrentCluster();
  if (!cluster?.server) {
    throw new ZerodropError('kubeconfig-no-cluster', `the kubeconfig (${source}) has no current context with a cluster; pass --context`);
  }
  return { config, context: config.getCurrentContext(), server: cluster.server };
}

function mergeFiles(files: readonly string[]): KubeConfig {
  const clusters = new Map<string, ReturnType<KubeConfig['getClusters']>[number]>();
  const users = new Map<string, ReturnType<KubeConfig['getUsers']>[number]>();
  const contexts = new Map<string, ReturnType<KubeConfig['getContexts']>[number]>();
  let currentContext = '';
  for (const file of files) {
    const one = new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (err) {
      throw new ZerodropError('kubeconfig-invalid', `cannot load kubeconfig ${file}: ${(err as Error).message}`, { cause: err });
    }
    if (!currentContext && one.getCurrentContext()) currentContext = one.getCurrentContext();
    for (const c of one.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
  }
  const config = new KubeConfig();
  config.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext });
  return config;
}
