/**
 * The resources the fake API server serves, with what discovery documents need (group, version,
 * kind, verbs, short names). One table: the router, the store and discovery read it, so kubectl's
 * discovery and the requests zerodrop makes can never disagree about a resource.
 */
export interface FakeResource {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  singularName: string;
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

export const FAKE_RESOURCES: Record<string, FakeResource> = {
  deployments: {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    listKind: 'DeploymentList',
    namespaced: true,
    verbs: [...READ, ...WRITE],
    shortNames: ['deploy'],
    singularName: 'deployment',
  },
  statefulsets: {
    group: 'apps',
    version: 'v1',
    kind: 'StatefulSet',
    listKind: 'StatefulSetList',
    namespaced: true,
    verbs: [...READ, ...WRITE],
    shortNames: ['sts'],
    singularName: 'statefulset',
  },
  daemonsets: {
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    listKind: 'DaemonSetList',
    namespaced: true,
    verbs: [...READ, ...WRITE],
    shortNames: ['ds'],
    singularName: 'daemonset',
  },
  pods: { group: '', version: 'v1', kind: 'Pod', listKind: 'PodList', namespaced: true, verbs: [...READ, ...WRITE], shortNames: ['po'], singularName: 'pod' },
  services: {
    group: '',
    version: 'v1',
    kind: 'Service',
    listKind: 'ServiceList',
    namespaced: true,
    verbs: [...READ, ...WRITE],
    shortNames: ['svc'],
    singularName: 'service',
  },
  endpointslices: {
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    listKind: 'EndpointSliceList',
    namespaced: true,
    verbs: [...READ, ...WRITE],
    singularName: 'endpointslice',
  },
  poddisruptionbudgets: {
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    listKind: 'PodDisruptionBudgetList',
    namespaced: true,
    verbs: [...READ, ...WRITE],
    shortNames: ['pdb'],
    singularName: 'poddisruptionbudget',
  },
  horizontalpodautoscalers: {
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    listKind: 'HorizontalPodAutoscalerList',
    namespaced: true,
    verbs: [...READ, ...WRITE],
    shortNames: ['hpa'],
    singularName: 'horizontalpodautoscaler',
  },
  ingresses: {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    listKind: 'IngressList',
    namespaced: true,
    verbs: [...READ, ...WRITE],
    shortNames: ['ing'],
    singularName: 'ingress',
  },
  selfsubjectaccessreviews: {
    group: 'authorization.k8s.io',
    version: 'v1',
    kind: 'SelfSubjectAccessReview',
    listKind: 'SelfSubjectAccessReviewList',
    namespaced: false,
    verbs: ['create'],
    singularName: 'selfsubjectaccessreview',
  },
};

export function apiVersionOf(info: FakeResource): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** `deployments.apps`, `pods`: how the API server names a resource in its messages. */
export function qualified(resource: string): string {
  const g = FAKE_RESOURCES[resource]?.group;
  return g ? `${resource}.${g}` : resource;
}

export function resourceOfKind(kind: string): string | undefined {
  return Object.entries(FAKE_RESOURCES).find(([, info]) => info.kind === kind)?.[0];
}
