/**
 * What the mesh rules share: the mesh proxies a workload's pods get (src/k8s/mesh.ts, with the
 * workload's Namespace when the input has it), how long the app needs them at shutdown, and
 * annotation patches on the pod template. The proxies these rules judge are the ones an injector
 * adds at admission; a proxy container already written in the pod spec is sidecar-exits-first's.
 */
import { parse } from 'yaml';
import { istioMeshDefaultsOf, meshSidecarsOf, type IstioMeshDefaults, type MeshName, type MeshSidecar } from '../../../k8s/mesh.js';
import { isBatchKind, preStopDelaySeconds, type KubeObject } from '../../../k8s/objects.js';
import { mergePatches, patchAt } from '../../patch.js';
import type { AuditSettings, ContainerView, ObjectView, StrategicPatch, WorkloadView, YamlPath } from '../../types.js';
import { isSidecarProxy } from './containers.js';
import { workloadOf } from './crossObjects.js';
import { graceOf, preStopOf, preStopShapeOf } from './drain.js';
import { podSpecPatch } from './patches.js';

const namespaces = new WeakMap<readonly ObjectView[], Map<string, KubeObject>>();

/** The Namespace object the workload lives in, when the input has it. */
export function namespaceObjectOf(objects: readonly ObjectView[], w: WorkloadView): KubeObject | undefined {
  let byName = namespaces.get(objects);
  if (!byName) {
    byName = new Map(objects.filter((o) => o.kind === 'Namespace').map((o) => [o.name, o.object]));
    namespaces.set(objects, byName);
  }
  return byName.get(w.namespace);
}

const meshDefaults = new WeakMap<readonly ObjectView[], { value: IstioMeshDefaults | undefined }>();

/** Istio's mesh-wide ProxyConfig defaults, when the input has the mesh ConfigMap or an IstioOperator. */
function istioMeshDefaultsIn(objects: readonly ObjectView[]): IstioMeshDefaults | undefined {
  let cached = meshDefaults.get(objects);
  if (!cached) {
    cached = {
      value: istioMeshDefaultsOf(
        objects.map((o) => o.object),
        parse,
      ),
    };
    meshDefaults.set(objects, cached);
  }
  return cached.value;
}

/** Per workload, the sidecars found for one run's objects and settings: five mesh rules ask for them. */
const injected = new WeakMap<WorkloadView, { objects: readonly ObjectView[]; settings: AuditSettings; sidecars: MeshSidecar[] }>();

/** The mesh proxies an injector adds to the workload's pods (none for Jobs, whose pods run to completion). */
export function injectedSidecars(w: WorkloadView, objects: readonly ObjectView[], settings: AuditSettings): MeshSidecar[] {
  const cached = injected.get(w);
  if (cached && cached.objects === objects && cached.settings === settings) return cached.sidecars;
  const sidecars = findInjectedSidecars(w, objects, settings);
  injected.set(w, { objects, settings, sidecars });
  return sidecars;
}

function findInjectedSidecars(w: WorkloadView, objects: readonly ObjectView[], settings: AuditSettings): MeshSidecar[] {
  if (isBatchKind(w.kind)) return [];
  const meta = w.template.metadata ?? {};
  const pod = {
    namespace: w.namespace,
    labels: meta.labels ?? {},
    annotations: meta.annotations ?? {},
    spec: w.podSpec,
  };
  const istioMeshDefaults = istioMeshDefaultsIn(objects);
  const ctx = { kubernetesVersion: settings.kubernetesVersion, parseYaml: parse, ...(istioMeshDefaults ? { istioMeshDefaults } : {}) };
  return meshSidecarsOf(pod, namespaceObjectOf(objects, w), ctx).filter((s) => !s.rendered);
}

/** The containers a sidecar serves: the serving containers, else every regular container that is not a known proxy. */
export function meshedApps(w: WorkloadView): ContainerView[] {
  const candidates = w.serving ? w.servers : w.containers.filter((c) => c.role === 'main');
  return candidates.filter((c) => !isSidecarProxy(c));
}

export interface AppShutdown {
  /** The app whose shutdown lasts longest. */
  app: ContainerView;
  apps: ContainerView[];
  /** Its preStop delay: how long it keeps serving new requests while endpoint removal propagates. */
  preStopSeconds: number;
  /** When it has drained: preStop plus the drain time (zerodrop.dev/drain-seconds, --drain-seconds). */
  doneSeconds: number;
}

/**
 * How long the apps need their sidecar after the pod's deletion; undefined when there is no app
 * or a preStop hook cannot be timed (a wait loop, an HTTP call), which is assumed synchronised on purpose.
 */
export function appShutdown(w: WorkloadView): AppShutdown | undefined {
  const apps = meshedApps(w);
  let longest: { app: ContainerView; seconds: number } | undefined;
  for (const app of apps) {
    const handler = preStopOf(app);
    if (handler && preStopShapeOf(app, w)?.kind === 'opaque') return undefined;
    const seconds = preStopDelaySeconds(handler) ?? 0;
    if (!longest || seconds > longest.seconds) longest = { app, seconds };
  }
  if (!longest) return undefined;
  return { app: longest.app, apps, preStopSeconds: longest.seconds, doneSeconds: longest.seconds + w.drainSeconds };
}

/** Path of the pod template's metadata from the object root. */
function templateMetadataPath(w: WorkloadView): YamlPath {
  return w.kind === 'Pod' ? ['metadata'] : [...w.podSpecPath.slice(0, -1), 'metadata'];
}

/**
 * Where a finding about a mesh setting points: the first of the given annotations or labels the
 * pod template writes, else its annotations (or its metadata) as the place to add one.
 */
export function meshSettingPath(w: WorkloadView, keys: ReadonlyArray<{ in: 'annotations' | 'labels'; key: string }>): YamlPath {
  const meta = w.template.metadata ?? {};
  const base = templateMetadataPath(w);
  const found = keys.find((k) => meta[k.in]?.[k.key] !== undefined);
  if (found) return [...base, found.in, found.key];
  return meta.annotations ? [...base, 'annotations'] : base;
}

/** A patch setting pod-template annotations, plus pod-spec fields (terminationGracePeriodSeconds) when given. */
export function annotationsPatch(w: WorkloadView, annotations: Record<string, string>, podSpecFields: Record<string, unknown> = {}): StrategicPatch {
  const base = templateMetadataPath(w);
  const set = Object.entries(annotations).reduce<StrategicPatch>((acc, [k, v]) => mergePatches(acc, patchAt(w.object, [...base, 'annotations', k], v)), {});
  return mergePatches(set, podSpecPatch(w, podSpecFields));
}

/** terminationGracePeriodSeconds to add to a fix so the grace period covers `seconds`; none when it already does. */
export function graceFieldFor(w: WorkloadView, seconds: number): { terminationGracePeriodSeconds: number } | Record<string, never> {
  const needed = Math.ceil(seconds);
  return graceOf(w).seconds >= needed ? {} : { terminationGracePeriodSeconds: needed };
}

/**
 * The workload of an object rule's view with the classic (regular-container) sidecar of one mesh
 * that an injector adds to its pods; undefined when there is none, or it is a native sidecar.
 */
export function classicSidecarOf<M extends MeshName>(
  view: ObjectView,
  settings: AuditSettings,
  all: { objects: readonly ObjectView[]; workloads: readonly WorkloadView[] },
  mesh: M,
): { w: WorkloadView; sidecar: Extract<MeshSidecar, { mesh: M }> } | undefined {
  const w = workloadOf(all.workloads, view);
  if (!w) return undefined;
  const sidecar = injectedSidecars(w, all.objects, settings).find((s): s is Extract<MeshSidecar, { mesh: M }> => s.mesh === mesh);
  return sidecar && !sidecar.native ? { w, sidecar } : undefined;
}

/** The assumptions a message names, as a trailing clause ("" when there are none). */
export function assumedClause(assumptions: readonly string[]): string {
  return assumptions.length > 0 ? ` (assumed: ${assumptions.join('; ')})` : '';
}

/** "pod label …" → "Pod label …", to open a message. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
