import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ExitCode, ZerodropError } from '../errors.js';

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
 * Loads credentials the way kubectl does: --kubeconfig names one file; otherwise KUBECONFIG (a
 * path list, merged, first wins) or ~/.kube/config; otherwise the in-cluster service account.
 * client-node's loadFromDefault implements that search; we only turn its silent fallback to
 * http://localhost:8080 into a clear error, and check --context exists.
 */
export function loadKubeconfig(options: KubeconfigOptions = {}): LoadedKubeconfig {
  const env = options.env ?? process.env;
  const config = new KubeConfig();
  const source = options.kubeconfig ?? env.KUBECONFIG ?? join(homedir(), '.kube', 'config');
  try {
    if (options.kubeconfig !== undefined) {
      if (!existsSync(options.kubeconfig)) {
        throw new ZerodropError('kubeconfig-missing', `--kubeconfig ${options.kubeconfig}: no such file`, { exitCode: ExitCode.usage });
      }
      config.loadFromFile(options.kubeconfig);
    } else {
      const inCluster = env.KUBERNETES_SERVICE_HOST !== undefined;
      const anyFile = env.KUBECONFIG ? env.KUBECONFIG.split(process.platform === 'win32' ? ';' : ':').some((p) => p !== '' && existsSync(p)) : existsSync(source);
      if (!anyFile && !inCluster) {
        throw new ZerodropError(
          'kubeconfig-missing',
          `no kubeconfig found (looked at ${env.KUBECONFIG ? `KUBECONFIG=${env.KUBECONFIG}` : source}); pass --kubeconfig FILE or set KUBECONFIG`,
          { exitCode: ExitCode.environment },
        );
      }
      config.loadFromDefault();
    }
  } catch (err) {
    if (err instanceof ZerodropError) throw err;
    throw new ZerodropError('kubeconfig-invalid', `cannot load kubeconfig ${source}: ${(err as Error).message}`, { exitCode: ExitCode.usage, cause: err });
  }
  if (options.context !== undefined) {
    if (!config.getContextObject(options.context)) {
      const known = config.getContexts().map((c) => c.name);
      throw new ZerodropError(
        'kubeconfig-unknown-context',
        `--context ${options.context} is not in the kubeconfig (known: ${known.length > 0 ? known.join(', ') : 'none'})`,
        { exitCode: ExitCode.usage },
      );
    }
    config.setCurrentContext(options.context);
  }
  const cluster = config.getCurrentCluster();
  if (!cluster || !cluster.server) {
    throw new ZerodropError('kubeconfig-no-cluster', `the kubeconfig (${source}) has no current context with a cluster; pass --context`, {
      exitCode: ExitCode.environment,
    });
  }
  return { config, context: config.getCurrentContext(), server: cluster.server };
}
