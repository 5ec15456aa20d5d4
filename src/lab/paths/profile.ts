import { defaultRemovalSeconds, PATH_BUDGETS, type PathKind } from '../../k8s/pathBudgets.js';
import type { TrafficPath } from '../../k8s/trafficPaths.js';

/**
 * How the lab makes a traffic path of PATH_BUDGETS (src/k8s/pathBudgets.ts) happen:
 * - `proxy`: the lab's proxy (l7, l4 or nginx) learns of every change after the propagation delay;
 *   kube-proxy, ingress controllers, node targets with `externalTrafficPolicy: Cluster` and a
 *   mesh's client proxies all behave like that.
 * - `ip-targets`: a cloud load balancer sending straight to pod IPs (target-group.ts).
 * - `node-local`: a load balancer sending to nodes that only forward to their own pods (node-local.ts).
 */
export type PathMechanics = 'proxy' | 'ip-targets' | 'node-local';

const MECHANICS: Readonly<Record<PathKind, PathMechanics>> = {
  'kube-proxy': 'proxy',
  'ingress-nginx': 'proxy',
  'ingress-controller': 'proxy',
  'cloud-lb-nodes': 'proxy',
  mesh: 'proxy',
  'aws-alb-ip': 'ip-targets',
  'aws-nlb-ip': 'ip-targets',
  'gke-neg': 'ip-targets',
  'azure-agic': 'ip-targets',
  'node-local': 'node-local',
};

export function mechanicsOf(kind: PathKind): PathMechanics {
  return MECHANICS[kind];
}

/** A load balancer's own health check of its targets (pods, or nodes under `externalTrafficPolicy: Local`). */
export interface HealthCheckSettings {
  intervalSeconds: number;
  /** Consecutive failures before the target leaves the rotation. */
  unhealthyThreshold: number;
  /** Consecutive successes before it is back. */
  healthyThreshold: number;
  /** One check fails when it has no answer after this long. */
  timeoutSeconds: number;
}

/**
 * Each cloud load balancer's default health check, for the paths where it removes a target. The
 * removal time of PATH_BUDGETS is the path's deregistration; the health check is the second way a
 * target leaves, when it stops answering (a pod that exited before its deregistration).
 */
export const HEALTH_CHECK_DEFAULTS: Readonly<Partial<Record<PathKind, HealthCheckSettings & { source: string }>>> = {
  'aws-alb-ip': {
    intervalSeconds: 15,
    unhealthyThreshold: 2,
    healthyThreshold: 2,
    timeoutSeconds: 5,
    source: 'https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#health-check',
  },
  'aws-nlb-ip': {
    intervalSeconds: 10,
    unhealthyThreshold: 3,
    healthyThreshold: 3,
    timeoutSeconds: 10,
    source: 'https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#health-check',
  },
  'node-local': {
    intervalSeconds: 10,
    unhealthyThreshold: 3,
    healthyThreshold: 3,
    timeoutSeconds: 10,
    source: 'https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#health-check',
  },
  'gke-neg': {
    intervalSeconds: 5,
    unhealthyThreshold: 2,
    healthyThreshold: 2,
    timeoutSeconds: 5,
    source: 'https://cloud.google.com/load-balancing/docs/health-check-concepts',
  },
  'azure-agic': {
    intervalSeconds: 30,
    unhealthyThreshold: 3,
    healthyThreshold: 1,
    timeoutSeconds: 30,
    source: 'https://learn.microsoft.com/azure/application-gateway/application-gateway-probe-overview',
  },
};

/** The path a lab run replays, with every number resolved. */
export interface TrafficProfile {
  kind: PathKind;
  mechanics: PathMechanics;
  /** For messages: `AWS ALB (IP targets)`. */
  label: string;
  /** Seconds from a pod's deletion until the path sends it no new request (its deregistration). */
  removalSeconds: number;
  pinsConnections: boolean;
  /** The load balancer's own health check (ip-targets and node-local). */
  healthCheck?: HealthCheckSettings;
  /** node-local: how many lab nodes the pods are spread over. */
  nodes?: number;
  /** Where the path came from, for the run's description: `lab file`, or the objects that make it. */
  from: string;
}

/** What the manifests or a lab file say about the path; every field but `kind` optional. */
export interface TrafficPathSetting {
  kind: PathKind;
  removalSeconds?: number;
  healthCheck?: Partial<HealthCheckSettings>;
  nodes?: number;
}

/**
 * Fills a path setting in from PATH_BUDGETS and the health-check defaults. Under
 * `externalTrafficPolicy: Local` the load balancer drops a node after interval × unhealthy
 * threshold failed checks, so that product is the path's removal time; when only one of the two is
 * given, the other follows from it (the interval from the removal time and the threshold).
 */
export function resolveProfile(
  setting: TrafficPathSetting,
  o: { propagationSeconds: number; replicas: number; maxSurge: number; from: string },
): TrafficProfile {
  const budget = PATH_BUDGETS[setting.kind];
  const mechanics = mechanicsOf(setting.kind);
  const profile: TrafficProfile = {
    kind: setting.kind,
    mechanics,
    label: budget.label,
    removalSeconds: setting.removalSeconds ?? defaultRemovalSeconds(setting.kind, o.propagationSeconds),
    pinsConnections: budget.pinsConnections,
    from: o.from,
  };
  const defaults = HEALTH_CHECK_DEFAULTS[setting.kind];
  if (mechanics !== 'proxy' && defaults) {
    const given = setting.healthCheck ?? {};
    const unhealthyThreshold = given.unhealthyThreshold ?? defaults.unhealthyThreshold;
    // node-local: the removal time *is* the health-check window; keep the two consistent.
    const intervalSeconds =
      given.intervalSeconds ??
      (mechanics === 'node-local' && setting.removalSeconds !== undefined ? setting.removalSeconds / unhealthyThreshold : defaults.intervalSeconds);
    profile.healthCheck = {
      intervalSeconds,
      unhealthyThreshold,
      healthyThreshold: given.healthyThreshold ?? defaults.healthyThreshold,
      timeoutSeconds: Math.min(given.timeoutSeconds ?? defaults.timeoutSeconds, intervalSeconds),
    };
    if (mechanics === 'node-local' && setting.removalSeconds === undefined) profile.removalSeconds = intervalSeconds * unhealthyThreshold;
  }
  // Room for every pod on a node of its own, surge pods included: the few-replicas case where a
  // node's only pod is the one being replaced (LB5 in docs/reference/traffic-paths.md).
  if (mechanics === 'node-local') profile.nodes = setting.nodes ?? o.replicas + o.maxSurge;
  return profile;
}

/** A lab file's `trafficPath:`: a whole path (with `kind`), or numbers laid over the manifests' path (without). */
export type TrafficPathOverride = Partial<TrafficPathSetting>;

/**
 * The path a run replays: the lab file's when it names a kind; else the slowest path the audit
 * sees in the manifests (src/k8s/trafficPaths.ts), with the lab file's numbers over it, when that
 * path is one the lab's proxy cannot stand in for (a load balancer with IP targets or node-local).
 * Undefined: the proxy of the run is the path, as before.
 */
export function choosePath(
  manifests: TrafficPath | undefined,
  override: TrafficPathOverride | undefined,
  overrideFrom: string,
): { setting: TrafficPathSetting; from: string } | { problem: string } | undefined {
  if (override?.kind) return { setting: override as TrafficPathSetting, from: overrideFrom };
  if (!manifests || mechanicsOf(manifests.kind) === 'proxy') {
    if (!override) return undefined;
    const seen = manifests ? `its slowest path is ${PATH_BUDGETS[manifests.kind].label}` : 'they show no Service';
    return { problem: `trafficPath: the manifests show no load-balancer path to lay these numbers over (${seen}); name one with kind` };
  }
  const setting: TrafficPathSetting = { kind: manifests.kind, removalSeconds: manifests.removalSeconds };
  if (override?.removalSeconds !== undefined) setting.removalSeconds = override.removalSeconds;
  if (override?.healthCheck) setting.healthCheck = override.healthCheck;
  if (override?.nodes !== undefined) setting.nodes = override.nodes;
  const removal = manifests.setBy
    ? `removal ${manifests.removalSeconds} s from ${manifests.setBy}`
    : `removal ${manifests.removalSeconds} s (${manifests.removalFrom})`;
  return { setting, from: `${manifests.description}, ${removal}${override ? `, with the ${overrideFrom}'s numbers` : ''}` };
}

/** One line for the run's description: `AWS ALB (IP targets), removal 8 s, health check 5 s × 2 (lab file)`. */
export function describeProfile(p: TrafficProfile): string {
  const hc = p.healthCheck ? `, health check every ${p.healthCheck.intervalSeconds} s, out after ${p.healthCheck.unhealthyThreshold} failures` : '';
  const nodes = p.nodes ? `, ${p.nodes} nodes` : '';
  return `traffic path ${p.label}: removal ${p.removalSeconds} s${hc}${nodes} (${p.from})`;
}
