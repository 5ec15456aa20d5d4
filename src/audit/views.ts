/**
 * Objects of one run to the views rules read, with cross-object context computed once:
 * Service → pods by selector in the same namespace, PDB → pods, HPA → workload, and whether a
 * workload is serving, through which Service port and consumer, and which of its containers
 * listen (src/k8s/serving.ts). Selectors are evaluated for real (matchLabels and
 * matchExpressions), across every input of the run, not per directory (docs/reference/linters.md#cross-object-context, docs/reference/linters.md#relevance-gates, docs/reference/linters.md#known-defects).
 */
import { basename, dirname } from 'node:path';
import {
  isBatchKind,
  isCoreService,
  isNativeSidecar,
  isWorkloadKind,
  isWorkloadObject,
  podTemplateOf,
  podTemplatePath,
  replicasOf,
  selectorMatches,
  type Container,
  type PodSpec,
  type KubeObject,
  type LabelSelector,
} from '../k8s/objects.js';
import { ConsumerIndex } from '../k8s/serviceConsumers.js';
import { configMapNamed } from '../k8s/configMaps.js';
import { argoWorkloadRefOf } from '../k8s/argoRollouts.js';
import { meshPathOf, PathIndex, slowestOf, trafficPathsOf, type TrafficPath } from '../k8s/trafficPaths.js';
import { meshOf } from '../k8s/mesh.js';
import { parse as parseYaml } from 'yaml';
import { carryingPorts, chooseServers, declaresTrafficPorts, describeNotServing, describeServedBy, servingOf, type ServingPort } from '../k8s/serving.js';
import type { AuditSettings, ConfiguredShutdown, ContainerView, DockerfileView, ObjectView, ServedBy, WorkloadView } from './types.js';
import { containerServerShutdown, servingDelayOf } from '../k8s/containerShutdown.js';
import type { ServerShutdown } from '../k8s/serverShutdown.js';
import { isCoreDnsImage, longestLameduck, mountedConfigMaps } from '../k8s/corefile.js';
import { dockerfilesForImage } from './dockerfileLink.js';
import { renamedRuleMessage } from './renamedRules.js';

export const ANNOTATION_IGNORE = 'zerodrop.dev/ignore';
export const ANNOTATION_DRAIN_SECONDS = 'zerodrop.dev/drain-seconds';
export const ANNOTATION_IN_APP_DRAIN = 'zerodrop.dev/in-app-drain';

export function objectViewOf(object: KubeObject): ObjectView {
  return {
    object,
    kind: String(object.kind ?? ''),
    apiVersion: String(object.apiVersion ?? ''),
    name: String(object.metadata?.name ?? ''),
    namespace: String(object.metadata?.namespace ?? 'default'),
    namespaceWritten: typeof object.metadata?.namespace === 'string',
  };
}

export interface BuiltViews {
  objects: ObjectView[];
  workloads: WorkloadView[];
  /** Annotation values that are not what they should be, reported as input problems by the runner. */
  annotationProblems: Array<{ object: KubeObject; path: Array<string | number>; message: string }>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function annotations(o: { metadata?: { annotations?: unknown } } | undefined): Record<string, unknown> {
  const a = o?.metadata?.annotations;
  return isRecord(a) ? a : {};
}

/** An annotation read from the object first, then its pod template. */
export function workloadAnnotation(object: KubeObject, key: string): { value: string; path: Array<string | number> } | undefined {
  const own = annotations(object)[key];
  if (own !== undefined) return { value: String(own), path: ['metadata', 'annotations', key] };
  if (!isWorkloadKind(object.kind) || object.kind === 'Pod') return undefined;
  const tpl = podTemplateOf(object);
  const t = annotations(tpl)[key];
  if (t !== undefined) return { value: String(t), path: [...podTemplatePath(object.kind), 'metadata', 'annotations', key] };
  return undefined;
}

/** The `zerodrop.dev/ignore` annotations of the object and its pod template, with where each is written. */
function ignoreAnnotations(object: KubeObject): Array<{ value: string; path: Array<string | number> }> {
  const found: Array<{ value: string; path: Array<string | number> }> = [];
  const own = annotations(object)[ANNOTATION_IGNORE];
  if (own !== undefined) found.push({ value: String(own), path: ['metadata', 'annotations', ANNOTATION_IGNORE] });
  if (isWorkloadKind(object.kind) && object.kind !== 'Pod') {
    const t = annotations(podTemplateOf(object))[ANNOTATION_IGNORE];
    if (t !== undefined) found.push({ value: String(t), path: [...podTemplatePath(object.kind), 'metadata', 'annotations', ANNOTATION_IGNORE] });
  }
  return found;
}

const ruleIdsIn = (value: string) => value.split(/[\s,]+/).filter((id) => id !== '');

/** Rule ids listed in `zerodrop.dev/ignore` on the object or its pod template. */
export function ignoredRules(object: KubeObject): Set<string> {
  return new Set(ignoreAnnotations(object).flatMap((a) => ruleIdsIn(a.value)));
}

/** `zerodrop.dev/ignore` naming a renamed rule suppresses nothing any more: say which id to write. */
function renamedIgnores(object: KubeObject): Array<{ object: KubeObject; path: Array<string | number>; message: string }> {
  return ignoreAnnotations(object).flatMap((a) =>
    ruleIdsIn(a.value).flatMap((id) => {
      const renamed = renamedRuleMessage(id);
      return renamed ? [{ object, path: a.path, message: `${ANNOTATION_IGNORE}: ${renamed}` }] : [];
    }),
  );
}

/**
 * The Dockerfile that builds an image, guessed from names we can see: the Dockerfile's
 * directory (`app/Dockerfile` builds `…/app:tag`), its prefix (`app.Dockerfile`), or an OCI
 * `org.opencontainers.image.title` label.
 */
export function dockerfileImageNames(view: DockerfileView): string[] {
  const names = new Set<string>();
  const file = view.file;
  const base = basename(file);
  const m = /^(.+)\.(Dockerfile|Containerfile)$/i.exec(base) ?? /^(?:Dockerfile|Containerfile)\.(.+)$/i.exec(base);
  if (m) names.add(m[1]!.toLowerCase());
  const dir = basename(dirname(file));
  if (dir && dir !== '.' && dir !== '/' && dir !== '-') names.add(dir.toLowerCase());
  for (const i of view.instructions) {
    if (i.keyword !== 'LABEL') continue;
    const t = /org\.opencontainers\.image\.(?:title|ref\.name)\s*=\s*"?([^"\s]+)"?/.exec(i.raw);
    if (t) names.add(t[1]!.toLowerCase());
  }
  return [...names];
}

function containerViews(
  object: KubeObject,
  podSpecPath: Array<string | number>,
  spec: Record<string, unknown>,
  dockerfiles: DockerfileView[],
): ContainerView[] {
  const out: ContainerView[] = [];
  const match = (c: Container): DockerfileView[] => {
    if (typeof c.image !== 'string' || dockerfiles.length === 0) return [];
    return dockerfilesForImage(c.image, dockerfiles, dockerfileImageNames);
  };
  const inits = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  inits.forEach((c, i) => {
    if (!isRecord(c)) return;
    const container = c as Container;
    out.push({
      container,
      name: String(container.name ?? `initContainers[${i}]`),
      role: isNativeSidecar(container) ? 'native-sidecar' : 'init',
      path: [...podSpecPath, 'initContainers', i],
      dockerfiles: match(container),
    });
  });
  const mains = Array.isArray(spec.containers) ? spec.containers : [];
  mains.forEach((c, i) => {
    if (!isRecord(c)) return;
    const container = c as Container;
    out.push({
      container,
      name: String(container.name ?? `containers[${i}]`),
      role: 'main',
      path: [...podSpecPath, 'containers', i],
      dockerfiles: match(container),
    });
  });
  void object;
  return out;
}

/**
 * Objects with label selectors, indexed by namespace and one required label pair, so matching
 * 10,000 workloads against 10,000 Services is not 10^8 selector evaluations. Selectors with no
 * required pair (matchExpressions only) are candidates for every pod in their namespace.
 */
class SelectorIndex {
  private readonly byPair = new Map<string, ObjectView[]>();
  private readonly unkeyed = new Map<string, ObjectView[]>();
  constructor(views: ObjectView[], requiredLabels: (v: ObjectView) => Record<string, string>) {
    for (const v of views) {
      const first = Object.entries(requiredLabels(v))[0];
      const map = first ? this.byPair : this.unkeyed;
      const key = first ? `${v.namespace}\0${first[0]}\0${String(first[1])}` : v.namespace;
      const list = map.get(key);
      if (list) list.push(v);
      else map.set(key, [v]);
    }
  }
  /** Objects that may select pods with these labels (callers still evaluate the selector). */
  candidates(namespace: string, labels: Record<string, string>): ObjectView[] {
    const out: ObjectView[] = [...(this.unkeyed.get(namespace) ?? [])];
    if (this.byPair.size === 0) return out;
    for (const k in labels) {
      const hit = this.byPair.get(`${namespace}\0${k}\0${String(labels[k])}`);
      if (hit) for (const v of hit) out.push(v);
    }
    return out;
  }
}

export function buildViews(objects: KubeObject[], dockerfiles: DockerfileView[], settings: AuditSettings): BuiltViews {
  const objectViews = objects.map(objectViewOf);
  const services = objectViews.filter((o) => isCoreService(o.object));
  const pdbs = objectViews.filter((o) => o.kind === 'PodDisruptionBudget');
  const hpas = objectViews.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  const scaledObjects = objectViews.filter((o) => o.kind === 'ScaledObject' && o.apiVersion.startsWith('keda.sh/'));
  const annotationProblems: BuiltViews['annotationProblems'] = objectViews.flatMap((o) => renamedIgnores(o.object));
  const workloads: WorkloadView[] = [];
  // A Service without a selector has manually managed endpoints; it selects no pods.
  const serviceIndex = new SelectorIndex(
    services.filter((s) => isRecord(s.object.spec?.selector) && Object.keys(s.object.spec!.selector as object).length > 0),
    (s) => s.object.spec!.selector as Record<string, string>,
  );
  const pdbIndex = new SelectorIndex(
    pdbs.filter((p) => isRecord(p.object.spec?.selector)),
    (p) => ((p.object.spec!.selector as LabelSelector).matchLabels ?? {}) as Record<string, string>,
  );
  // The ConfigMap index the rules use (src/k8s/configMaps.ts), with the view of each hit.
  const configMapView = (namespace: string, name: string): ObjectView | undefined => {
    const cm = configMapNamed(objects, namespace, name);
    return cm ? viewOf.get(cm) : undefined;
  };
  const consumers = new ConsumerIndex(objects);
  const pathIndex = new PathIndex(objects);
  const reported = new Set<string>();
  const viewOf = new Map(objectViews.map((v) => [v.object, v]));
  const hpaIndex = new Map<string, ObjectView[]>();
  const scaledObjectIndex = new Map<string, ObjectView[]>();
  for (const [index, list] of [
    [hpaIndex, hpas],
    [scaledObjectIndex, scaledObjects],
  ] as const) {
    for (const h of list) {
      const ref = scaleTargetOf(h);
      if (!ref) continue;
      const key = `${h.namespace}\0${ref.kind}\0${ref.name}`;
      const targeting = index.get(key);
      if (targeting) targeting.push(h);
      else index.set(key, [h]);
    }
  }

  const referenced = rolloutTemplateSources(objectViews);
  for (const ov of objectViews) {
    const source = ov.object;
    if (!isWorkloadObject(source)) continue;
    // A Deployment whose pods a Rollout took over (workloadRef) is judged as the Rollout (below), not twice.
    if (referenced.byDeployment.has(source)) continue;
    const ref = referenced.byRollout.get(source);
    const templateFrom = ref?.deployment;
    const object = templateFrom ? withTemplateOf(source, templateFrom.object) : source;
    const kind = source.kind;
    const template = podTemplateOf(object);
    if (!template || !isRecord(template.spec)) continue;
    const podSpec = template.spec;
    const podSpecPath = [...podTemplatePath(kind), 'spec'];
    const labels = isRecord(template.metadata?.labels) ? (template.metadata!.labels as Record<string, string>) : {};

    const selectingServices = serviceIndex
      .candidates(ov.namespace, labels)
      .filter((s) => selectorMatches(s.object.spec!.selector as Record<string, string>, labels));
    const selectingPdbs = pdbIndex.candidates(ov.namespace, labels).filter((p) => selectorMatches(p.object.spec!.selector as LabelSelector, labels));
    const targetingHpas = hpaIndex.get(`${ov.namespace}\0${kind}\0${ov.name}`) ?? [];

    const containers = containerViews(object, podSpecPath, podSpec, dockerfiles);
    const judged = servingJudgement({
      kind,
      podSpec,
      containers,
      object,
      labels,
      annotations: annotations(template) as Record<string, string>,
      services: selectingServices,
      inputHasServices: services.length > 0,
      consumers,
    });
    let drainSeconds = settings.drainSeconds;
    const drain = workloadAnnotation(object, ANNOTATION_DRAIN_SECONDS);
    if (drain) {
      const n = Number(drain.value);
      if (drain.value.trim() !== '' && Number.isFinite(n) && n >= 0) drainSeconds = n;
      else annotationProblems.push({ object, path: drain.path, message: `${ANNOTATION_DRAIN_SECONDS} must be a number of seconds, got "${drain.value}"` });
    }
    const inApp = workloadAnnotation(object, ANNOTATION_IN_APP_DRAIN);
    // "adaptive": the app drains until its traffic stops (zerodrop/graceful's adaptive drain).
    const inAppDrain = inApp ? /^(true|adaptive)$/i.test(inApp.value.trim()) : false;
    if (inApp && !/^(true|adaptive|false)$/i.test(inApp.value.trim()))
      annotationProblems.push({ object, path: inApp.path, message: `${ANNOTATION_IN_APP_DRAIN} must be "true", "adaptive" or "false", got "${inApp.value}"` });

    const traced = judged.serving
      ? trafficPathsOf(judged.servingPorts, pathIndex, {
          propagationSeconds: settings.propagationSeconds,
          ...(settings.paths ? { overrides: settings.paths } : {}),
        })
      : { paths: [], problems: [] };
    // Callers inside a mesh reach the pods through their own proxies, told by the mesh's control plane.
    const meshed = judged.serving ? meshedPath(template, podSpec, ov.namespace, pathIndex.namespace(ov.namespace), judged.servingPorts, settings) : undefined;
    if (meshed) traced.paths.push(meshed);
    // A Service in front of several workloads has one bad annotation, reported once.
    for (const problem of traced.problems) {
      const k = `${String(problem.object.kind)}\0${String(problem.object.metadata?.namespace ?? '')}\0${String(problem.object.metadata?.name ?? '')}\0${problem.message}`;
      if (reported.has(k)) continue;
      reported.add(k);
      annotationProblems.push(problem);
    }

    workloads.push({
      object,
      kind,
      apiVersion: ov.apiVersion,
      name: ov.name,
      namespace: ov.namespace,
      template,
      podSpec,
      podSpecPath,
      containers,
      replicas: replicasOf(object),
      ...judged,
      services: selectingServices,
      pdbs: selectingPdbs,
      hpas: targetingHpas,
      scaledObjects: scaledObjectIndex.get(`${ov.namespace}\0${kind}\0${ov.name}`) ?? [],
      ingresses: [...new Set(judged.servingPorts.flatMap((p) => p.consumers.filter((c) => c.kind === 'ingress').flatMap((c) => viewOf.get(c.object) ?? [])))],
      drainSeconds,
      inAppDrain,
      configuredShutdown: configuredShutdownOf(containers, podSpec, ov.namespace, configMapView, objects),
      paths: traced.paths,
      namespaceObject: pathIndex.namespace(ov.namespace),
      backends: [],
      ...(ref ? { sourceObject: source, templateFrom: ref.deployment, templateJudgedByDeployment: ref.deploymentRuns } : {}),
    });
  }
  linkBackends(workloads, viewOf);
  return { objects: objectViews, workloads, annotationProblems };
}

const NONE_CONFIGURED: ReadonlyMap<string, ConfiguredShutdown> = new Map();

type ConfigMapView = (namespace: string, name: string) => ObjectView | undefined;

/** Each container's server shutdown as buildViews read it (for configuredShutdown), so the rules do not read it again. */
const serverShutdowns = new WeakMap<ContainerView, ServerShutdown | undefined>();

/**
 * The server shutdown buildViews read for this container: `{ known: false }` for a view it did
 * not build (a test's), which then reads it itself.
 */
export function viewedServerShutdown(c: ContainerView): { known: true; shutdown: ServerShutdown | undefined } | { known: false } {
  return serverShutdowns.has(c) ? { known: true, shutdown: serverShutdowns.get(c) } : { known: false };
}

/**
 * The containers whose server delays its own shutdown as a ConfigMap of the input says: CoreDNS
 * by its Corefile's lameduck, Caddy by its Caddyfile's (or JSON config's) shutdown_delay.
 */
function configuredShutdownOf(
  containers: readonly ContainerView[],
  podSpec: PodSpec,
  namespace: string,
  configMapView: ConfigMapView,
  objects: readonly KubeObject[],
): ReadonlyMap<string, ConfiguredShutdown> {
  const found = new Map([
    ...coreDnsLameduck(containers, podSpec, namespace, configMapView),
    ...caddyShutdownDelay(containers, podSpec, namespace, configMapView, objects),
  ]);
  return found.size > 0 ? found : NONE_CONFIGURED;
}

/** Caddy containers whose mounted config writes a shutdown_delay: they keep serving that long after their stop signal. */
function caddyShutdownDelay(
  containers: readonly ContainerView[],
  podSpec: PodSpec,
  namespace: string,
  configMapView: ConfigMapView,
  objects: readonly KubeObject[],
): Array<[string, ConfiguredShutdown]> {
  return containers.flatMap((c): Array<[string, ConfiguredShutdown]> => {
    if (c.role === 'init') return [];
    const found = containerServerShutdown(c.container, { podSpec, namespace, objects }, c.dockerfiles.length > 0);
    serverShutdowns.set(c, found);
    const delay = servingDelayOf(found);
    const configMap = delay && configMapView(namespace, delay.configMap);
    if (!delay || !configMap) return [];
    const entry = {
      judgedBy: 'server-drain-exceeds-grace',
      judgesRemoval: false,
      configMap,
      delaySeconds: delay.seconds,
      origin: delay.origin,
      server: delay.server,
    };
    return [[c.name, entry]];
  });
}

/** CoreDNS containers whose Corefile is a mounted ConfigMap of the input: its lameduck is their shutdown delay. */
function coreDnsLameduck(
  containers: readonly ContainerView[],
  podSpec: PodSpec,
  namespace: string,
  configMapView: ConfigMapView,
): Array<[string, ConfiguredShutdown]> {
  const coreDns = containers.filter((c) => c.role !== 'init' && isCoreDnsImage(c.container.image));
  if (coreDns.length === 0) return [];
  const corefiles = mountedConfigMaps(podSpec).flatMap((name) => {
    const cm = configMapView(namespace, name);
    const corefile = (cm?.object as { data?: Record<string, unknown> } | undefined)?.data?.Corefile;
    return cm && typeof corefile === 'string' ? [{ cm, corefile }] : [];
  });
  if (corefiles.length === 0) return [];
  const { cm, corefile } = corefiles[0]!;
  const lameduck = longestLameduck(corefile);
  const entry: ConfiguredShutdown = {
    judgedBy: 'coredns-lameduck-missing',
    judgesRemoval: true,
    configMap: cm,
    ...(lameduck ? { delaySeconds: lameduck.seconds } : {}),
  };
  return coreDns.map((c) => [c.name, entry]);
}

/**
 * Argo Rollouts' `spec.workloadRef`: a Rollout without its own template runs the pods of a
 * Deployment's `spec.template` (docs/reference/argo-rollouts-and-deploymentconfig.md#argo-rollouts).
 * Only Deployments of the same namespace in the input are resolved; a reference to anything else
 * leaves the Rollout without a template, which no rule reads.
 */
function rolloutTemplateSources(views: readonly ObjectView[]): {
  byRollout: Map<KubeObject, { deployment: ObjectView; deploymentRuns: boolean }>;
  byDeployment: Set<KubeObject>;
} {
  const deployments = new Map(views.filter((v) => v.kind === 'Deployment').map((v) => [`${v.namespace}\0${v.name}`, v]));
  const byRollout = new Map<KubeObject, { deployment: ObjectView; deploymentRuns: boolean }>();
  const byDeployment = new Set<KubeObject>();
  for (const v of views) {
    if (v.kind !== 'Rollout' || !isWorkloadObject(v.object)) continue;
    const ref = argoWorkloadRefOf(v.object);
    if (ref?.kind !== 'Deployment') continue;
    const d = deployments.get(`${v.namespace}\0${ref.name}`);
    if (!d || !isRecord(d.object.spec?.template)) continue;
    // Argo scales the Deployment to 0 only with scaleDown onsuccess or progressively; otherwise it
    // keeps its own pods and its own rolling updates unless it is written with replicas 0.
    const deploymentRuns = d.object.spec?.replicas !== 0 && ref.scaleDown !== 'onsuccess' && ref.scaleDown !== 'progressively';
    byRollout.set(v.object, { deployment: d, deploymentRuns });
    if (!deploymentRuns) byDeployment.add(d.object);
  }
  return { byRollout, byDeployment };
}

/** The Rollout as the controller resolves it: its own spec, with the referenced Deployment's pod template. */
function withTemplateOf(rollout: KubeObject, deployment: KubeObject): KubeObject & { kind: 'Rollout' } {
  return { ...rollout, kind: 'Rollout', spec: { ...(rollout.spec ?? {}), template: deployment.spec!.template } };
}

/**
 * The workload an HPA or a KEDA ScaledObject scales (`spec.scaleTargetRef`); a ScaledObject's
 * kind defaults to Deployment (https://keda.sh/docs/latest/reference/scaledobject-spec/).
 */
export function scaleTargetOf(autoscaler: ObjectView): { kind: string; name: string } | undefined {
  const ref = autoscaler.object.spec?.scaleTargetRef;
  if (!isRecord(ref) || typeof ref.name !== 'string') return undefined;
  const kind = typeof ref.kind === 'string' ? ref.kind : autoscaler.kind === 'ScaledObject' ? 'Deployment' : undefined;
  return kind ? { kind, name: ref.name } : undefined;
}

/**
 * For each Service that carries a serving workload's traffic, every workload of the input whose
 * pods are its endpoints for a carrying port: a Service over v1/v2/v3 Deployments has three.
 */
function linkBackends(workloads: WorkloadView[], viewOf: ReadonlyMap<KubeObject, ObjectView>): void {
  const behind = new Map<KubeObject, WorkloadView[]>();
  const carried = (w: WorkloadView) => [...new Set(w.servingPorts.filter((p) => p.traffic === 'user' || p.traffic === 'admission').map((p) => p.service))];
  // The same object written twice (a combined file beside the per-object ones) is one object once
  // applied: count it once.
  const key = (w: WorkloadView) => `${w.kind}\0${w.namespace}\0${w.name}`;
  for (const w of workloads) {
    if (!w.serving) continue;
    for (const svc of carried(w)) {
      const list = behind.get(svc) ?? [];
      if (!list.some((x) => key(x) === key(w))) list.push(w);
      behind.set(svc, list);
    }
  }
  for (const w of workloads) {
    if (!w.serving) continue;
    w.backends = carried(w).flatMap((svc) => {
      const service = viewOf.get(svc);
      return service ? [{ service, workloads: behind.get(svc) ?? [w] }] : [];
    });
  }
}

interface JudgementInput {
  kind: WorkloadView['kind'];
  object: KubeObject;
  podSpec: WorkloadView['podSpec'];
  containers: ContainerView[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  services: ObjectView[];
  inputHasServices: boolean;
  consumers: ConsumerIndex;
}

type Judgement = Pick<WorkloadView, 'serving' | 'servingReason' | 'servedBy' | 'servingPorts' | 'servers' | 'serverChoice'>;

/** Whether the workload serves, through what, and which containers listen (src/k8s/serving.ts). */
function servingJudgement(i: JudgementInput): Judgement {
  const none = { servedBy: undefined, servers: [], serverChoice: '' };
  if (isBatchKind(i.kind)) return { serving: false, servingReason: `${i.kind}s run to completion and are never serving`, servingPorts: [], ...none };
  const viewsOf = (cs: readonly Container[]) => i.containers.filter((c) => cs.includes(c.container));
  if (i.services.length === 0) {
    if (i.inputHasServices || !declaresTrafficPorts(i.podSpec))
      return {
        serving: false,
        servingReason: i.inputHasServices ? 'no Service in the input selects its pods' : 'no Service in the input and no container ports',
        servingPorts: [],
        ...none,
      };
    const choice = chooseServers(i.podSpec, []);
    return {
      serving: true,
      servingReason: 'assumed serving: it declares container ports and the input has no Service',
      servedBy: undefined,
      servingPorts: [],
      servers: viewsOf(choice.containers),
      serverChoice: choice.how,
    };
  }
  const serving = servingOf(
    { workload: i.object, labels: i.labels, annotations: i.annotations, spec: i.podSpec },
    i.services.map((s) => s.object),
    i.consumers,
  );
  if (!serving.servedBy) return { serving: false, servingReason: describeNotServing(serving), servingPorts: serving.ports, ...none };
  const choice = chooseServers(i.podSpec, carryingPorts(serving));
  const servers = viewsOf(choice.containers);
  return {
    serving: true,
    servingReason: describeServedBy(serving.servedBy),
    servedBy: servedByData(serving.servedBy, servers, choice.how),
    servingPorts: serving.ports,
    servers,
    serverChoice: choice.how,
  };
}

function servedByData(p: ServingPort, servers: readonly ContainerView[], how: string): ServedBy {
  const c = p.decidedBy;
  const via = c && c.object !== p.service ? `${String(c.object.kind)}/${String(c.object.metadata?.name ?? '')}` : undefined;
  return {
    service: String(p.service.metadata?.name ?? ''),
    port: p.port.port ?? p.port.name ?? p.port.index,
    consumer: c?.kind ?? 'cluster-ip',
    ...(via ? { via } : {}),
    traffic: p.traffic,
    containers: servers.map((s) => s.name),
    chosenBecause: how,
  };
}

/** The mesh path to a serving workload's pods, when a mesh proxy intercepts their traffic. */
function meshedPath(
  template: WorkloadView['template'],
  podSpec: WorkloadView['podSpec'],
  namespace: string,
  namespaceObject: KubeObject | undefined,
  ports: readonly ServingPort[],
  settings: AuditSettings,
): TrafficPath | undefined {
  const meta = template.metadata ?? {};
  const sidecar = meshOf({ namespace, labels: meta.labels ?? {}, annotations: meta.annotations ?? {}, spec: podSpec }, namespaceObject, {
    kubernetesVersion: settings.kubernetesVersion,
    parseYaml,
  });
  if (!sidecar) return undefined;
  const services = [...new Set(carryingPorts({ ports: [...ports], servedBy: undefined }).map((p) => p.service))];
  return meshPathOf(sidecar, services, {
    propagationSeconds: settings.propagationSeconds,
    ...(settings.paths ? { overrides: settings.paths } : {}),
  });
}

/** The path that lets go of the workload's terminating pods last; undefined when none is known. */
export function slowestPath(w: Pick<WorkloadView, 'paths'>): TrafficPath | undefined {
  return slowestOf(w.paths);
}

/**
 * Containers that receive the stop signal (regular containers and native sidecars) and whose
 * image no Dockerfile of the run builds: rules that check both Dockerfiles and images look at the
 * image only for these, so one problem is reported once.
 */
export function runningContainersWithoutDockerfile(w: WorkloadView): ContainerView[] {
  return w.containers.filter((c) => c.role !== 'init' && c.dockerfiles.length === 0);
}
