/**
 * Discovery documents, as the API server serves them to clients that do not ask for aggregated
 * discovery (kubectl falls back to these when the answer is plain application/json):
 * `/api` (APIVersions), `/apis` (APIGroupList), `/api/v1` and `/apis/GROUP/VERSION`
 * (APIResourceList, with the scale and status subresources), and `/version` (version.Info).
 * Shapes: k8s.io/apimachinery pkg/apis/meta/v1/types.go and pkg/version/types.go.
 */
import { FAKE_RESOURCES, type FakeResource } from './resources.js';

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export const DEFAULT_SERVER_VERSION: ServerVersion = { major: '1', minor: '31', gitVersion: 'v1.31.4' };

export function versionInfo(v: ServerVersion): Record<string, string> {
  return {
    ...v,
    gitCommit: 'a78aa47129b8539636eb86a9d00e31b2720fe06b',
    gitTreeState: 'clean',
    buildDate: '2024-12-10T11:37:49Z',
    goVersion: 'go1.22.10',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const groupVersions = () => {
  const out = new Map<string, string[]>();
  for (const info of Object.values(FAKE_RESOURCES)) {
    if (info.group === '') continue;
    const versions = out.get(info.group) ?? [];
    if (!versions.includes(info.version)) versions.push(info.version);
    out.set(info.group, versions);
  }
  return out;
};

/** The discovery document for `path`, or undefined when the path is not a discovery path. */
export function discoveryDocument(path: string, serverAddress: string): Record<string, unknown> | undefined {
  const clean = path.replace(/\/+$/, '');
  if (clean === '/api') {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  }
  if (clean === '/apis') {
    const groups = [...groupVersions()].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    }));
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(clean);
  if (!m) return undefined;
  const group = m[1] ? '' : m[2]!;
  const version = m[1] ?? m[3]!;
  const entries = Object.entries(FAKE_RESOURCES).filter(([, info]) => info.group === group && info.version === version);
  if (entries.length === 0) return undefined;
  const groupVersion = group === '' ? version : `${group}/${version}`;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: entries.flatMap(([name, info]) => resourceEntries(name, info)) };
}

function resourceEntries(name: string, info: FakeResource): Record<string, unknown>[] {
  const main = {
    name,
    singularName: info.singularName,
    namespaced: info.namespaced,
    kind: info.kind,
    verbs: info.verbs,
    ...(info.shortNames ? { shortNames: info.shortNames } : {}),
    ...(info.verbs.includes('list') ? { categories: ['all'] } : {}),
  };
  if (!info.verbs.includes('list')) return [main];
  const sub = (suffix: string, kind: string, verbs: string[], group?: string) => ({
    name: `${name}/${suffix}`,
    singularName: '',
    namespaced: info.namespaced,
    ...(group ? { group, version: 'v1' } : {}),
    kind,
    verbs,
  });
  const out = [main, sub('status', info.kind, ['get', 'patch', 'update'])];
  if (info.kind === 'Deployment' || info.kind === 'StatefulSet') out.push(sub('scale', 'Scale', ['get', 'patch', 'update'], 'autoscaling'));
  return out;
}
