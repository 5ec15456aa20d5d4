import { formatVersion, parseKubernetesVersion, type KubernetesVersion } from '../k8s/features.js';
import type { KubeApiClient } from './apiClient.js';

/** The body of `GET /version` (k8s.io/apimachinery pkg/version Info). */
export interface VersionInfo {
  major?: string;
  minor?: string;
  gitVersion?: string;
}

export interface ServerVersion {
  version: KubernetesVersion;
  /** As the server says it, e.g. v1.31.4-eks-2d5f260. */
  gitVersion: string;
}

/**
 * The Kubernetes version a /version answer names: the leading vMAJOR.MINOR.PATCH of gitVersion
 * (managed clusters append their own suffix: -eks-…, -gke.…), else major and minor (which GKE
 * and EKS write as "31+").
 */
export function kubernetesVersionOf(info: VersionInfo): ServerVersion | undefined {
  const git = /^v?(\d+)\.(\d+)\.(\d+)/.exec(info.gitVersion ?? '');
  if (git) return { version: parseKubernetesVersion(`${git[1]}.${git[2]}.${git[3]}`), gitVersion: info.gitVersion! };
  const major = Number.parseInt(info.major ?? '', 10);
  const minor = Number.parseInt(info.minor ?? '', 10);
  if (!Number.isFinite(major) || !Number.isFinite(minor)) return undefined;
  const version = parseKubernetesVersion(`${major}.${minor}`);
  return { version, gitVersion: info.gitVersion ?? formatVersion(version) };
}

/** Asks the server (everyone may: system:public-info-viewer); undefined when it will not say. */
export async function readServerVersion(client: KubeApiClient): Promise<ServerVersion | undefined> {
  try {
    const info = await client.rawJson<VersionInfo>(
      { verb: 'get', resource: { group: '', version: '', resource: 'version', kind: 'Version', namespaced: false } },
      '/version',
      { timeoutMs: 15_000 },
    );
    return kubernetesVersionOf(info ?? {});
  } catch {
    return undefined;
  }
}
