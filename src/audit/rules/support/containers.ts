/**
 * Which containers of a workload receive the traffic its Services send. A probe or preStop on a
 * sidecar does not cover the app (docs/reference/linters.md#known-defects: kube-score's pod-wide booleans), so the
 * serving rules look at each of these containers on its own. The choice itself is the serving
 * model's (`chooseServers` in src/k8s/serving.ts): the containers the Services' target ports
 * reach, else the regular containers that are not known proxies.
 */
import { isProxyContainer } from '../../../k8s/containerRoles.js';
import { isBatchKind } from '../../../k8s/objects.js';
import type { ContainerView, ObjectView, WorkloadView } from '../../types.js';
import { portsOf } from './fields.js';
import { count } from './wording.js';

/** Regular containers and native sidecars: the ones that run for the life of the pod. */
export function longRunningContainers(w: WorkloadView): ContainerView[] {
  return w.containers.filter((c) => c.role !== 'init');
}

export function isSidecarProxy(c: ContainerView): boolean {
  return isProxyContainer(c.container);
}

/** The containers that listen for a serving workload's traffic; none when nothing routes to it. */
export function servingContainers(w: WorkloadView): ContainerView[] {
  return w.serving ? w.servers : [];
}

/** The containers grace and drain rules judge (the same as `servingContainers`). */
export function trafficContainers(w: WorkloadView): ContainerView[] {
  return servingContainers(w);
}

/**
 * The serving containers whose shutdown has to wait for endpoint removal: none when the workload
 * is not serving or declares zerodrop.dev/in-app-drain (the app delays its own shutdown).
 */
export function drainingContainers(w: WorkloadView): ContainerView[] {
  return w.inAppDrain ? [] : servingContainers(w);
}

/**
 * A port the container is known to listen on: where a carrying Service port lands in it, else its
 * first declared TCP containerPort, else a carrying port's numeric target (the seed's nginx
 * declares no ports; its Service targets 80).
 */
export function knownListenPort(w: WorkloadView, c: ContainerView): number | undefined {
  // A tcpSocket probe needs a TCP port: UDP and SCTP ports say nothing about one.
  const carrying = w.servingPorts.filter((p) => (p.traffic === 'user' || p.traffic === 'admission') && p.port.protocol === 'TCP');
  const landed = carrying.find((p) => p.target.container === c.container && p.target.containerPort !== undefined);
  if (landed) return landed.target.containerPort;
  const declared = portsOf(c.container).find((p) => typeof p.containerPort === 'number' && (p.protocol ?? 'TCP') === 'TCP');
  if (declared?.containerPort !== undefined) return declared.containerPort;
  return carrying.find((p) => p.target.container === undefined && p.target.containerPort !== undefined)?.target.containerPort;
}

/** The lowest pod count of a workload, and the autoscaler field that decides it (none: spec.replicas). */
export interface ReplicaFloor {
  replicas: number | undefined;
  by?: ObjectView;
  /** `HPA minReplicas 2`, `ScaledObject minReplicaCount 1`, for messages. */
  says?: string;
}

/**
 * "the Deployment's replicas" as its autoscalers see it: the lowest minimum of the HPAs and KEDA
 * ScaledObjects that manage it (docs/reference/disruption-budgets.md#what-a-budget-protects hint,
 * kube-linter#637). KEDA decides its target's floor itself: `minReplicaCount` (default 0),
 * `idleReplicaCount` when lower, or a fixed `autoscaling.keda.sh/paused-replicas`
 * (https://keda.sh/docs/latest/reference/scaledobject-spec/); the HPA it creates never sees it.
 */
export function replicaFloor(w: WorkloadView): ReplicaFloor {
  const floors: ReplicaFloor[] = [
    ...w.hpas.map((h) => {
      const m = (h.object.spec as { minReplicas?: unknown } | undefined)?.minReplicas;
      const replicas = typeof m === 'number' ? m : 1; // autoscaling/v2 default minReplicas is 1
      return { replicas, by: h, says: `HPA minReplicas ${replicas}` };
    }),
    ...w.scaledObjects.map((so) => ({ by: so, ...kedaFloor(so) })),
  ];
  if (floors.length === 0) return { replicas: w.replicas };
  return floors.sort((a, b) => (a.replicas ?? 0) - (b.replicas ?? 0))[0]!;
}

function kedaFloor(so: ObjectView): { replicas: number; says: string } {
  const pausedAt = so.object.metadata?.annotations?.['autoscaling.keda.sh/paused-replicas'];
  const paused = pausedAt === undefined || String(pausedAt).trim() === '' ? Number.NaN : Number(pausedAt);
  if (Number.isInteger(paused) && paused >= 0) return { replicas: paused, says: `ScaledObject paused at ${count(paused, 'replica')}` };
  const spec = (so.object.spec ?? {}) as { minReplicaCount?: unknown; idleReplicaCount?: unknown };
  const min = typeof spec.minReplicaCount === 'number' ? spec.minReplicaCount : 0;
  if (typeof spec.idleReplicaCount === 'number' && spec.idleReplicaCount < min)
    return { replicas: spec.idleReplicaCount, says: `ScaledObject idleReplicaCount ${spec.idleReplicaCount}` };
  return { replicas: min, says: `ScaledObject minReplicaCount ${min}` };
}

export function lowestReplicas(w: WorkloadView): number | undefined {
  return replicaFloor(w).replicas;
}

/** Pods a workload keeps behind a Service: DaemonSets run one per node, so they count as several. */
export function podsOf(w: WorkloadView): number {
  if (w.kind === 'DaemonSet') return Number.POSITIVE_INFINITY;
  if (w.kind === 'Pod') return 1;
  return lowestReplicas(w) ?? 1;
}

/** `kind/name` for messages. */
export function describeWorkload(w: WorkloadView): string {
  return `${w.kind}/${w.name}`;
}

/** Kinds whose pod count is spec.replicas (DaemonSets, Pods and Jobs have none). */
export const REPLICATED_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'Rollout',
  'DeploymentConfig',
]);

/** The container's command (undefined when not a list: the image's entrypoint runs) and args, as strings. */
export function commandLineOf(c: ContainerView): { command: string[] | undefined; args: string[] } {
  const { command, args } = c.container;
  return { command: Array.isArray(command) ? command.map(String) : undefined, args: Array.isArray(args) ? args.map(String) : [] };
}

/** The long-running containers of a workload meant to keep running: none for Jobs and CronJobs, whose pods exit. */
export function longRunningUnlessBatch(w: WorkloadView): ContainerView[] {
  return isBatchKind(w.kind) ? [] : longRunningContainers(w);
}
