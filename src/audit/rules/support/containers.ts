/**
 * Which containers of a workload receive the traffic its Services send. A probe or preStop on a
 * sidecar does not cover the app (linter-landscape §6: kube-score's pod-wide booleans), so the
 * serving rules look at each of these containers on its own.
 */
import { sidecarProxyFor } from '../../../k8s/images.js';
import { isBatchKind } from '../../../k8s/objects.js';
import type { ContainerView, ObjectView, WorkloadView } from '../../types.js';
import { portsOf } from './fields.js';

/** Regular containers and native sidecars: the ones that run for the life of the pod. */
export function longRunningContainers(w: WorkloadView): ContainerView[] {
  return w.containers.filter((c) => c.role !== 'init');
}

export function isSidecarProxy(c: ContainerView): boolean {
  return typeof c.container.image === 'string' && sidecarProxyFor(c.container.image, c.name) !== undefined;
}

/** Regular containers that are not known proxies (empty when the pod runs only proxies). */
export function nonProxyContainers(w: WorkloadView): ContainerView[] {
  return w.containers.filter((c) => c.role === 'main' && !isSidecarProxy(c));
}

/**
 * The app containers: regular containers that are not sidecar proxies. A proxy is a sidecar only
 * next to an app; a pod that runs nothing but Envoy (a gateway) serves with it.
 */
export function appContainers(w: WorkloadView): ContainerView[] {
  const apps = nonProxyContainers(w);
  return apps.length > 0 ? apps : w.containers.filter((c) => c.role === 'main');
}

function servicePorts(services: ObjectView[]): Array<string | number> {
  const out: Array<string | number> = [];
  for (const s of services) {
    const ports = (s.object.spec as { ports?: Array<{ port?: unknown; targetPort?: unknown }> } | undefined)?.ports;
    if (!Array.isArray(ports)) continue;
    for (const p of ports) {
      const target = p?.targetPort ?? p?.port;
      if (typeof target === 'number' || typeof target === 'string') out.push(target);
    }
  }
  return out;
}

function declares(c: ContainerView, port: string | number): boolean {
  return portsOf(c.container).some((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port));
}

/**
 * The app containers that serve: those a selecting Service's targetPort reaches; else those that
 * declare ports; else, when none declares any, every app container (we cannot tell them apart).
 */
export function trafficContainers(w: WorkloadView): ContainerView[] {
  const apps = appContainers(w);
  const targets = servicePorts(w.services);
  const targeted = apps.filter((c) => targets.some((t) => declares(c, t)));
  if (targeted.length > 0) return targeted;
  const withPorts = apps.filter((c) => portsOf(c.container).length > 0);
  if (withPorts.length > 0) return withPorts;
  return apps;
}

/** The traffic containers of a serving workload; none when nothing routes to it. */
export function servingContainers(w: WorkloadView): ContainerView[] {
  return w.serving ? trafficContainers(w) : [];
}

/**
 * The traffic containers whose shutdown has to wait for endpoint removal: none when the workload
 * is not serving or declares zerodrop.dev/in-app-drain (the app delays its own shutdown).
 */
export function drainingContainers(w: WorkloadView): ContainerView[] {
  return w.inAppDrain ? [] : servingContainers(w);
}

/**
 * A port the container is known to listen on: its first declared containerPort, else a selecting
 * Service's numeric targetPort (the seed's nginx declares no ports; its Service targets 80).
 */
export function knownListenPort(w: WorkloadView, c: ContainerView): number | undefined {
  const declared = portsOf(c.container).find((p) => typeof p.containerPort === 'number' && (p.protocol ?? 'TCP') === 'TCP');
  if (declared?.containerPort !== undefined) return declared.containerPort;
  const numeric = servicePorts(w.services).find((t): t is number => typeof t === 'number');
  return numeric;
}

/** "the Deployment's replicas", as the HPA sees it: at its minimum when an HPA manages it (§4.2 hint, kube-linter#637). */
export function lowestReplicas(w: WorkloadView): number | undefined {
  const mins = w.hpas.map((h) => {
    const m = (h.object.spec as { minReplicas?: unknown } | undefined)?.minReplicas;
    return typeof m === 'number' ? m : 1; // autoscaling/v2 default minReplicas is 1
  });
  if (mins.length > 0) return Math.min(...mins);
  return w.replicas;
}

/** `kind/name` for messages. */
export function describeWorkload(w: WorkloadView): string {
  return `${w.kind}/${w.name}`;
}

/** Kinds whose pod count is spec.replicas (DaemonSets, Pods and Jobs have none). */
export const REPLICATED_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** The container's command (undefined when not a list: the image's entrypoint runs) and args, as strings. */
export function commandLineOf(c: ContainerView): { command: string[] | undefined; args: string[] } {
  const { command, args } = c.container;
  return { command: Array.isArray(command) ? command.map(String) : undefined, args: Array.isArray(args) ? args.map(String) : [] };
}

/** The long-running containers of a workload meant to keep running: none for Jobs and CronJobs, whose pods exit. */
export function longRunningUnlessBatch(w: WorkloadView): ContainerView[] {
  return isBatchKind(w.kind) ? [] : longRunningContainers(w);
}
