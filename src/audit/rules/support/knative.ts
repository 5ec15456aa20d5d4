import { knativeClusterConfig, knativeRevisionOf, type KnativeClusterConfig, type KnativeRevision } from '../../../k8s/knative.js';
import type { ObjectView } from '../../types.js';

/** The object kind Knative rules name (the runner hands rules on plain 'Service' core Services only). */
export const KNATIVE_SERVICE_KIND = 'Service.serving.knative.dev';

const clusterConfigs = new WeakMap<readonly ObjectView[], KnativeClusterConfig>();

/** The visible Knative cluster config of a run, read once per run (the objects list is the run's). */
function clusterConfigOf(objects: readonly ObjectView[]): KnativeClusterConfig {
  let config = clusterConfigs.get(objects);
  if (!config) {
    config = knativeClusterConfig(objects.map((o) => o.object));
    clusterConfigs.set(objects, config);
  }
  return config;
}

/** The revision a Knative Service makes, with the cluster config the input shows. */
export function revisionOf(service: ObjectView, objects: readonly ObjectView[]): { revision: KnativeRevision; cluster: KnativeClusterConfig } | undefined {
  const cluster = clusterConfigOf(objects);
  const revision = knativeRevisionOf(service.object, cluster);
  return revision ? { revision, cluster } : undefined;
}

/** How a revision setting got its value, for messages: `timeoutSeconds 10`, `timeoutSeconds unset (Knative default 300)`. */
export function describeSetting(field: string, s: { value: number; source: string }, clusterFrom: string | undefined, clusterKey: string): string {
  if (s.source === 'written') return `${field} ${s.value}`;
  if (s.source === 'cluster-config') return `${field} unset (${clusterFrom ?? 'the cluster config'} sets ${clusterKey} ${s.value})`;
  return `${field} unset (Knative default ${s.value})`;
}
