/**
 * The slice of Kubernetes object shapes zerodrop reads. Objects come from user YAML, so every
 * field is optional and may have the wrong type; readers check before trusting.
 */
import type { Probe } from './probes.js';

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface LifecycleHandler {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port: number | string; host?: string };
  tcpSocket?: { port: number | string };
  sleep?: { seconds?: number };
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name?: string; value?: string }>;
  ports?: Array<{ name?: string; containerPort?: number; hostPort?: number; protocol?: string }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: LifecycleHandler; postStart?: LifecycleHandler; stopSignal?: string };
  restartPolicy?: string;
  [key: string]: unknown;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  terminationGracePeriodSeconds?: number;
  shareProcessNamespace?: boolean;
  volumes?: Array<{ name?: string; persistentVolumeClaim?: { claimName?: string } }>;
  [key: string]: unknown;
}

export interface PodTemplate {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

export type WorkloadKind =
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'ReplicaSet'
  | 'ReplicationController'
  | 'Pod'
  | 'Job'
  | 'CronJob'
  // Argo Rollouts (argoproj.io/v1alpha1) and OpenShift (apps.openshift.io/v1): pod-template owners with their own rollout semantics.
  | 'Rollout'
  | 'DeploymentConfig';

export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Pod',
  'Job',
  'CronJob',
  'Rollout',
  'DeploymentConfig',
];

export function isWorkloadKind(kind: unknown): kind is WorkloadKind {
  return typeof kind === 'string' && (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

/**
 * Whether the object is a workload zerodrop reads: a known kind, and for the custom kinds their own
 * API group (another group may reuse the name `Rollout`). A DeploymentConfig written with the
 * legacy `apiVersion: v1` (OpenShift 3's `/oapi`) is the same object.
 */
export function isWorkloadObject<T extends { kind?: unknown; apiVersion?: unknown }>(o: T): o is T & { kind: WorkloadKind } {
  if (!isWorkloadKind(o.kind)) return false;
  const api = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  if (o.kind === 'Rollout') return api.startsWith('argoproj.io/');
  if (o.kind === 'DeploymentConfig') return api.startsWith('apps.openshift.io/') || api === 'v1';
  return true;
}

/** Jobs run to completion; serving rules do not apply to them. */
export function isBatchKind(kind: WorkloadKind): boolean {
  return kind === 'Job' || kind === 'CronJob';
}

/**
 * A core (`v1`) Service: selectors, ports and endpoints. Other groups reuse the kind name for
 * something else: Knative's `serving.knative.dev/v1` Service is a whole app (a revision template
 * with its own routing), not a selector over pods.
 */
export function isCoreService(o: { kind?: unknown; apiVersion?: unknown }): boolean {
  return o.kind === 'Service' && o.apiVersion === 'v1';
}

/** Where the pod template sits in each workload kind, as a path from the object root. */
export function podTemplatePath(kind: WorkloadKind): string[] {
  switch (kind) {
    case 'Pod':
      return [];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template'];
    default:
      return ['spec', 'template'];
  }
}

export function podTemplateOf(obj: KubeObject): PodTemplate | undefined {
  if (!isWorkloadKind(obj.kind)) return undefined;
  if (obj.kind === 'Pod') return { metadata: obj.metadata ?? {}, spec: (obj.spec ?? {}) as PodSpec };
  let cur: unknown = obj;
  for (const key of podTemplatePath(obj.kind)) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur && typeof cur === 'object' ? (cur as PodTemplate) : undefined;
}

/** Native sidecars are init containers with restartPolicy Always (docs/reference/feature-versions.md#native-sidecars). */
export function isNativeSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/**
 * Replica count with the API default; undefined for kinds without replicas (DaemonSet, Pod, Job).
 * The default is 1 (a Rollout too: argo-rollouts `defaults.DefaultReplicas`), except for a
 * DeploymentConfig, whose `replicas` is a plain int32 with no defaulting: unset is 0
 * (openshift/api apps/v1 types.go, docs/reference/argo-rollouts-and-deploymentconfig.md#deploymentconfig).
 */
export function replicasOf(obj: KubeObject): number | undefined {
  if (
    obj.kind === 'Deployment' ||
    obj.kind === 'StatefulSet' ||
    obj.kind === 'ReplicaSet' ||
    obj.kind === 'ReplicationController' ||
    obj.kind === 'Rollout' ||
    obj.kind === 'DeploymentConfig'
  ) {
    const r = obj.spec?.replicas;
    return typeof r === 'number' ? r : obj.kind === 'DeploymentConfig' ? 0 : 1;
  }
  return undefined;
}

/** Label selector match (matchLabels and matchExpressions), Service-style selectors included. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export function selectorMatches(selector: LabelSelector | Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  const isLabelSelector = 'matchLabels' in selector || 'matchExpressions' in selector;
  const matchLabels = isLabelSelector ? ((selector as LabelSelector).matchLabels ?? {}) : (selector as Record<string, string>);
  for (const [k, v] of Object.entries(matchLabels)) if (l[k] !== v) return false;
  const exprs = isLabelSelector ? ((selector as LabelSelector).matchExpressions ?? []) : [];
  for (const e of exprs) {
    const has = Object.hasOwn(l, e.key);
    const val = l[e.key];
    switch (e.operator) {
      case 'In':
        if (!has || !(e.values ?? []).includes(val!)) return false;
        break;
      case 'NotIn':
        if (has && (e.values ?? []).includes(val!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A preStop hook's wall time in seconds when it is a recognisable delay (sleep action or exec sleep N). */
export function preStopDelaySeconds(handler: LifecycleHandler | undefined): number | undefined {
  if (!handler) return undefined;
  if (handler.sleep && typeof handler.sleep.seconds === 'number') return handler.sleep.seconds;
  const cmd = handler.exec?.command;
  if (Array.isArray(cmd)) {
    const joined = cmd.map(String).join(' ');
    const m = /(?:^|[\s;&|/])sleep\s+(\d+(?:\.\d+)?)(s)?\b/.exec(joined);
    if (m) return Number(m[1]);
  }
  return undefined;
}
