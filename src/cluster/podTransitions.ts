import type { ContainerEvent, PodEvent } from '../events/schema.js';
import type { KubeObject } from '../k8s/objects.js';

type PodBody = Omit<PodEvent, 't' | 'run'>;
type ContainerBody = Omit<ContainerEvent, 't' | 'run'>;
export type PodTransition = PodBody | ContainerBody;

interface ContainerStatus {
  name?: string;
  restartCount?: number;
  state?: { running?: object; terminated?: { exitCode?: number; signal?: number; reason?: string }; waiting?: { reason?: string } };
}

interface PodShape {
  metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: string; deletionGracePeriodSeconds?: number };
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: Array<{ type?: string; status?: string }>;
    containerStatuses?: ContainerStatus[];
  };
}

/** What the pod's lane in the report needs, read from one Pod object. */
export interface PodFacts {
  started: boolean;
  ready: boolean;
  terminating: boolean;
  exited: boolean;
}

export function podFacts(object: KubeObject): PodFacts {
  const pod = object as PodShape;
  const statuses = pod.status?.containerStatuses ?? [];
  const phase = pod.status?.phase;
  return {
    started: statuses.some((s) => s.state?.running !== undefined),
    // A pod receives traffic once its Ready condition is True (docs/reference/traffic-routing.md#endpointslice-conditions: serving = IsPodReady).
    ready: (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    // The API delete sets deletionTimestamp; that is the start of termination (docs/reference/pod-termination.md#grace-period, docs/reference/traffic-routing.md#endpointslice-conditions).
    terminating: typeof pod.metadata?.deletionTimestamp === 'string',
    exited: phase === 'Succeeded' || phase === 'Failed' || (statuses.length > 0 && statuses.every((s) => s.state?.terminated !== undefined)),
  };
}

/** ReplicaSet pods carry their template's hash; it tells old from new pods. */
export function podRevision(object: KubeObject): string | undefined {
  return object.metadata?.labels?.['pod-template-hash'];
}

/**
 * Pod and container events for one observed change of a Pod. `previous` undefined means the pod
 * was created while we watched; `next` undefined means the object was deleted. Pods that already
 * existed when watching began are passed with `initial`: they get no `created`, and only a
 * `not-ready` when they were not serving (the report assumes pre-existing pods were ready).
 */
export function podTransitions(previous: KubeObject | undefined, next: KubeObject | undefined, options: { initial?: boolean } = {}): PodTransition[] {
  const object = next ?? previous;
  if (!object) return [];
  const pod = object.metadata?.name ?? '?';
  const revision = podRevision(object);
  const rev = revision === undefined ? {} : { revision };
  const out: PodTransition[] = [];
  if (options.initial && next) {
    const f = podFacts(next);
    if (f.terminating) out.push({ type: 'pod', pod, phase: 'terminating', ...rev, detail: 'already terminating when watching began' });
    else if (!f.ready) out.push({ type: 'pod', pod, phase: 'not-ready', ...rev, detail: 'not ready when watching began' });
    return out;
  }
  if (!next) return [{ type: 'pod', pod, phase: 'deleted', ...rev }];
  const before: PodFacts = previous ? podFacts(previous) : { started: false, ready: false, terminating: false, exited: false };
  const after = podFacts(next);
  if (!previous) {
    const node = (next as PodShape).spec?.nodeName;
    out.push({ type: 'pod', pod, phase: 'created', ...rev, ...(node ? { detail: `on ${node}` } : {}) });
  }
  out.push(...containerTransitions(pod, previous, next));
  if (!before.started && after.started) out.push({ type: 'pod', pod, phase: 'started', ...rev });
  if (!before.terminating && after.terminating) {
    const grace = (next as PodShape).metadata?.deletionGracePeriodSeconds;
    out.push({ type: 'pod', pod, phase: 'terminating', ...rev, ...(grace === undefined ? {} : { detail: `grace period ${grace}s` }) });
  }
  if (!before.ready && after.ready) out.push({ type: 'pod', pod, phase: 'ready', ...rev });
  if (before.ready && !after.ready) out.push({ type: 'pod', pod, phase: 'not-ready', ...rev });
  if (!before.exited && after.exited) out.push({ type: 'pod', pod, phase: 'exited', ...rev });
  return out;
}

function containerTransitions(pod: string, previous: KubeObject | undefined, next: KubeObject): ContainerBody[] {
  const prevByName = new Map<string, ContainerStatus>();
  for (const s of (previous as PodShape | undefined)?.status?.containerStatuses ?? []) if (s.name) prevByName.set(s.name, s);
  const out: ContainerBody[] = [];
  for (const s of (next as PodShape).status?.containerStatuses ?? []) {
    if (!s.name) continue;
    const p = prevByName.get(s.name);
    if ((s.restartCount ?? 0) > (p?.restartCount ?? 0))
      out.push({ type: 'container', pod, container: s.name, action: 'restart', detail: `restart count ${s.restartCount}` });
    if (s.state?.running !== undefined && p?.state?.running === undefined) out.push({ type: 'container', pod, container: s.name, action: 'start' });
    const term = s.state?.terminated;
    if (term && p?.state?.terminated === undefined) {
      out.push({
        type: 'container',
        pod,
        container: s.name,
        action: 'exit',
        exitCode: term.exitCode ?? null,
        ...(term.reason ? { detail: term.reason } : {}),
      });
    }
  }
  return out;
}
