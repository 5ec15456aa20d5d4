import { usageError, type SourcePosition } from '../../errors.js';
import { deploymentDefaults } from '../../k8s/apiDefaults.js';
import { resolveFenceposts } from '../../k8s/fenceposts.js';
import { parseImageRef } from '../../k8s/imageRef.js';
import { imageStopSignal } from '../../k8s/images.js';
import { isLiteralZero, IntOrPercentError, type IntOrPercent } from '../../k8s/intOrPercent.js';
import { isNativeSidecar, podTemplateOf, selectorMatches, type Container, type KubeObject, type PodSpec } from '../../k8s/objects.js';
import { resolveProbe, type Probe } from '../../k8s/probes.js';
import { DEFAULT_TERMINATION_GRACE_SECONDS } from '../../k8s/shutdownTimeline.js';
import { normaliseSignal } from '../../k8s/signals.js';
import type { TrafficPath } from '../../k8s/trafficPaths.js';
import type { DeploymentSettings } from '../controllers/deployment.js';
import type { DockerfileView } from '../../audit/types.js';
import { localServerCommand, localServerFor, localServerNote, type LocalServer } from '../images/localServers.js';
import { standInFor } from '../images/standIns.js';
import { linkerdInjection, linkerdNote, linkerdProxyContainer, LINKERD_INBOUND_PORT, type LinkerdInjection } from '../paths/mesh-sidecar.js';
import { checkProgram, splitCommand } from '../pods/command.js';
import type { ContainerPlan, PodPlan } from '../pods/plan.js';
import { dockerfileFor, dockerfileStopSignal, serverOfContainer } from './imageBuilds.js';
import type { SourcedObject } from './manifests.js';
import { chooseWorkload } from './workloadChoice.js';

/** What the lab runs for an image: a command line, and the image's STOPSIGNAL when it sets one. */
export interface ImageCommand {
  command: string;
  stopSignal?: string;
}
export type ImageMap = Record<string, ImageCommand>;

/** The change a run rolls out: a restart (new template revision) or a new image for a container. */
export type RolloutChange = { kind: 'restart' } | { kind: 'image'; container?: string; image: string };

export interface LabWorkload {
  deployment: DeploymentSettings;
  /** The Deployment that rolls, as the audit names objects (for its findings). */
  target: { kind: 'Deployment'; namespace: string; name: string };
  /** The Deployment and every other object, for the audit. */
  objects: KubeObject[];
  initial: PodPlan;
  next: PodPlan;
  /** Where the Deployment was defined, for messages. */
  source: SourcePosition;
  /** What the lab decided for this input (which workload rolls, images it mapped itself), one line each. */
  notes: string[];
  /** Every path by which requests reach the pods, as the audit sees them (src/k8s/trafficPaths.ts). */
  paths: TrafficPath[];
}

export interface WorkloadOptions {
  images: ImageMap;
  rollout: RolloutChange;
  /** Working directory of every container and exec hook (the lab file's directory). */
  cwd: string;
  pidNamespace?: boolean;
  /** `--workload NAME`: the Deployment to roll when the input has several. */
  workload?: string;
  /** The input's Dockerfiles: the one that builds a container's image gives its command and STOPSIGNAL. */
  dockerfiles?: readonly DockerfileView[];
}

/** What every step of planning one Deployment's pods shares. */
interface PlanContext {
  options: WorkloadOptions;
  /** The Deployment's name and position, for messages. */
  deployment: string;
  at: SourcePosition;
  /** Notes collected on the way (a set: both revisions are planned, each image is noted once). */
  notes: Set<string>;
  /** The mesh proxy the cluster would inject into every pod of the template. */
  mesh?: LinkerdInjection;
}

/**
 * Turns manifests into what the lab runs, validating everything first so that a bad manifest or an
 * unmapped image is one clear error before any process starts.
 */
export function buildWorkload(sourced: readonly SourcedObject[], options: WorkloadOptions): LabWorkload {
  const choice = chooseWorkload(sourced, options.workload);
  const d = choice.chosen;
  const at: SourcePosition = { file: d.file, line: d.line };
  const obj = d.object;
  const name = obj.metadata?.name ?? 'app';
  refuseLookalikePatch(obj, name, at);
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const defaults = deploymentDefaults(String(obj.apiVersion ?? 'apps/v1'));
  const replicas = spec.replicas === undefined ? 1 : spec.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 1)
    throw usageError('lab-bad-replicas', `Deployment ${name}: replicas must be a whole number ≥ 1 for a rollout, got ${JSON.stringify(replicas)}`, at);
  if (replicas > 20)
    throw usageError('lab-too-many-replicas', `Deployment ${name}: ${replicas} replicas is more processes than the lab runs on one machine (max 20)`, at);

  const strategy = (spec.strategy ?? {}) as { type?: string; rollingUpdate?: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent } };
  const type = strategy.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate' && type !== 'Recreate')
    throw usageError('lab-bad-strategy', `Deployment ${name}: strategy.type must be RollingUpdate or Recreate, got ${type}`, at);
  const maxSurge = strategy.rollingUpdate?.maxSurge ?? defaults.maxSurge;
  const maxUnavailable = strategy.rollingUpdate?.maxUnavailable ?? defaults.maxUnavailable;
  // docs/reference/workload-updates.md#deployment-rollingupdate validation: both literally zero is rejected by the API server.
  if (type === 'RollingUpdate' && isLiteralZero(maxSurge) && isLiteralZero(maxUnavailable))
    throw usageError(
      'lab-bad-strategy',
      `Deployment ${name}: maxUnavailable may not be 0 when maxSurge is 0 (the API server rejects this, https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment)`,
      at,
    );
  let fenceposts;
  try {
    fenceposts = resolveFenceposts(replicas, maxSurge, maxUnavailable);
  } catch (err) {
    if (err instanceof IntOrPercentError) throw usageError('lab-bad-strategy', `Deployment ${name}: ${err.message}`, at);
    throw err;
  }
  const minReadySeconds = numberField(spec.minReadySeconds, defaults.minReadySeconds, 'minReadySeconds', name, at);
  const progressDeadlineSeconds =
    spec.progressDeadlineSeconds === undefined
      ? defaults.progressDeadlineSeconds
      : numberField(spec.progressDeadlineSeconds, 600, 'progressDeadlineSeconds', name, at);
  if (progressDeadlineSeconds !== undefined && progressDeadlineSeconds <= minReadySeconds)
    throw usageError(
      'lab-bad-deadline',
      `Deployment ${name}: progressDeadlineSeconds must be greater than minReadySeconds (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment)`,
      at,
    );

  const template = podTemplateOf(obj);
  const podSpec = template?.spec;
  if (!podSpec || !Array.isArray(podSpec.containers) || podSpec.containers.length === 0)
    throw usageError('lab-no-containers', `Deployment ${name}: spec.template.spec.containers is empty`, at);
  const servicePort = findServicePort(sourced, template?.metadata?.labels, podSpec);

  const ctx: PlanContext = { options, deployment: name, at, notes: new Set(choice.notes) };
  const namespace = sourced.find((s) => s.object.kind === 'Namespace' && s.object.metadata?.name === (obj.metadata?.namespace ?? 'default'));
  const mesh = linkerdInjection(template?.metadata?.annotations, namespace?.object.metadata?.annotations, podSpec, template?.metadata?.labels);
  if (mesh) {
    ctx.mesh = mesh;
    ctx.notes.add(linkerdNote(mesh));
  }
  const initial = buildPodPlan('rev1', podSpec, servicePort, ctx);
  const next = nextPlan(initial, podSpec, servicePort, ctx);
  return {
    deployment: { name, replicas, strategy: type, fenceposts, minReadySeconds, progressDeadlineSeconds },
    target: { kind: 'Deployment', namespace: obj.metadata?.namespace ?? 'default', name },
    objects: sourced.map((s) => s.object),
    initial,
    next,
    source: at,
    notes: [...ctx.notes],
    paths: choice.view?.paths ?? [],
  };
}

function nextPlan(initial: PodPlan, podSpec: PodSpec, servicePort: number, ctx: PlanContext): PodPlan {
  const change = ctx.options.rollout;
  if (change.kind === 'restart') return { ...initial, revision: 'rev2' };
  const containers = podSpec.containers!.map((c) => ({ ...c }));
  const target = change.container ? containers.find((c) => c.name === change.container) : containers[0];
  if (!target) throw usageError('lab-bad-rollout', `--rollout image: Deployment ${ctx.deployment} has no container named ${change.container}`, ctx.at);
  target.image = change.image;
  return buildPodPlan('rev2', { ...podSpec, containers }, servicePort, ctx);
}

function buildPodPlan(revision: string, podSpec: PodSpec, servicePort: number, ctx: PlanContext): PodPlan {
  const { options, deployment, at } = ctx;
  const grace = podSpec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
  if (typeof grace !== 'number' || grace < 0)
    throw usageError('lab-bad-field', `Deployment ${deployment}: terminationGracePeriodSeconds must be a number ≥ 0`, at);
  const sidecars = (podSpec.initContainers ?? []).filter(isNativeSidecar).map((c) => buildContainer(c, grace, ctx, undefined));
  const ignoredInit = (podSpec.initContainers ?? []).filter((c) => !isNativeSidecar(c));
  if (ignoredInit.length > 0)
    throw usageError(
      'lab-init-containers',
      `Deployment ${deployment}: the lab runs native sidecars (restartPolicy: Always) but not run-to-completion init containers (${ignoredInit.map((c) => c.name).join(', ')})`,
      at,
    );
  // The first main container serves the Service's target port even when it declares no ports (podNetwork.ts).
  const containers = podSpec.containers!.map((c, i) => buildContainer(c, grace, ctx, i === 0 ? servicePort : undefined));
  const plan: PodPlan = { revision, containers, sidecars, graceSeconds: grace, servicePort, cwd: options.cwd };
  if (ctx.mesh) {
    // The injector adds the proxy; the mesh redirects every inbound connection to it.
    const proxy = linkerdProxyContainer(ctx.mesh, servicePort);
    if (ctx.mesh.native) sidecars.unshift(proxy);
    else containers.push(proxy);
    plan.inboundPort = LINKERD_INBOUND_PORT;
  }
  if (options.pidNamespace !== undefined) plan.pidNamespace = options.pidNamespace;
  if (podSpec.shareProcessNamespace === true) plan.shareProcessNamespace = true;
  return plan;
}

function buildContainer(c: Container, grace: number, ctx: PlanContext, servicePort: number | undefined): ContainerPlan {
  const { options, deployment, at, notes } = ctx;
  const cname = c.name ?? '?';
  if (!c.image) throw usageError('lab-no-image', `Deployment ${deployment}: container ${cname} has no image`, at);
  const ref = parseImageRef(c.image);
  const mapped = lookupImage(options.images, c.image);
  const declaredPorts = (c.ports ?? []).map((p) => p.containerPort).filter((p): p is number => typeof p === 'number');
  const build = dockerfileFor(c.image, options.dockerfiles ?? []);
  const ports = declaredPorts.length > 0 ? declaredPorts : servicePort !== undefined ? [servicePort] : [];
  let argv: string[];
  let local: { server: LocalServer; ports: number[] } | undefined;
  let standIn: string | undefined;
  if (mapped) {
    argv = [...splitCommand(mapped.command), ...(c.args ?? []).map(String)];
    checkProgram(argv, { container: cname, image: c.image, mapping: ref.repository, cwd: options.cwd });
  } else {
    const server = localServerFor(c.image);
    const runs = server ? undefined : serverOfContainer(c, build);
    const stand = runs ? standInFor(runs.server.id) : undefined;
    if (server) {
      argv = localServerCommand(server, { container: cname, image: c.image, ports });
      local = { server, ports };
    } else if (runs && stand) {
      argv = stand.argv(ports);
      const serving = ports.length === 0 ? 'no port' : `port${ports.length === 1 ? '' : 's'} ${ports.join(', ')}`;
      standIn = `image ${c.image}: runs ${runs.server.server} (${runs.argv.join(' ')}, from ${runs.from}); the lab runs ${stand.describes} on ${serving}`;
    } else {
      throw usageError(
        'lab-unmapped-image',
        `container ${cname} uses image ${c.image}, which the lab cannot run: map it to a command with --run ${ref.repository}=COMMAND (or an images: entry in a lab file)`,
        at,
      );
    }
  }
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) if (e.name && e.value !== undefined) env[e.name] = String(e.value);
  // Stop signal precedence (docs/reference/pod-termination.md#stop-container, docs/reference/feature-versions.md#custom-stop-signal):
  // lifecycle.stopSignal > the image's STOPSIGNAL (a mapping's, the input's Dockerfile's, the image table's) > SIGTERM.
  const specSignal = c.lifecycle?.stopSignal ? normaliseSignal(c.lifecycle.stopSignal) : undefined;
  const built = build ? dockerfileStopSignal(build) : undefined;
  const imageSignal = mapped?.stopSignal ? normaliseSignal(mapped.stopSignal) : (built?.signal ?? imageStopSignal(ref)?.signal);
  const stopSignal = (specSignal ?? imageSignal ?? 'SIGTERM') as NodeJS.Signals;
  if (!isKnownSignal(stopSignal)) throw usageError('lab-bad-signal', `container ${cname}: unknown stop signal ${stopSignal}`, at);
  const signalFrom = specSignal
    ? `${stopSignal} (lifecycle.stopSignal)`
    : mapped?.stopSignal
      ? `${stopSignal} (the mapping's stopSignal)`
      : built
        ? `${stopSignal} (${built.from})`
        : imageSignal
          ? `${stopSignal}, the official image's STOPSIGNAL`
          : `${stopSignal} (the image sets no STOPSIGNAL the input shows)`;
  if (local) notes.add(localServerNote(local.server, c, local.ports, signalFrom));
  if (standIn) notes.add(`${standIn}; stop signal ${signalFrom}; --run ${ref.repository}=COMMAND overrides`);
  if (built && mapped && !specSignal && !mapped.stopSignal) notes.add(`image ${c.image}: stop signal ${signalFrom}`);
  const preStop = c.lifecycle?.preStop;
  if (preStop?.sleep && typeof preStop.sleep.seconds === 'number' && preStop.sleep.seconds > grace) {
    throw usageError(
      'lab-bad-sleep',
      `container ${cname}: preStop sleep.seconds (${preStop.sleep.seconds}) must not exceed terminationGracePeriodSeconds (${grace}) (the API server rejects it, https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/3960-pod-lifecycle-sleep-action)`,
      at,
    );
  }
  const plan: ContainerPlan = {
    name: cname,
    image: c.image,
    argv,
    env,
    stopSignal,
    ports: (c.ports ?? [])
      .filter((p) => typeof p.containerPort === 'number')
      .map((p) => (p.name ? { containerPort: p.containerPort!, name: p.name } : { containerPort: p.containerPort! })),
  };
  const probe = (p: Probe | undefined, kind: string): ReturnType<typeof resolveProbe> | undefined => {
    if (!p) return undefined;
    const r = resolveProbe(p);
    if ((kind === 'liveness' || kind === 'startup') && r.successThreshold !== 1)
      throw usageError(
        'lab-bad-probe',
        `container ${cname}: ${kind}Probe.successThreshold must be 1 (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes)`,
        at,
      );
    if (r.handler.grpc) throw usageError('lab-grpc-probe', `container ${cname}: gRPC probes are not emulated by the lab`, at);
    return r;
  };
  const readiness = probe(c.readinessProbe, 'readiness');
  const liveness = probe(c.livenessProbe, 'liveness');
  const startup = probe(c.startupProbe, 'startup');
  if (readiness) plan.readiness = readiness;
  if (liveness) plan.liveness = liveness;
  if (startup) plan.startup = startup;
  if (preStop) plan.preStop = preStop;
  return plan;
}

/**
 * A Deployment with neither a selector nor an image is what a strategic-merge patch looks like
 * (it names the object and the fields it changes, nothing else): say so, rather than that its
 * container has no image.
 */
function refuseLookalikePatch(obj: KubeObject, name: string, at: SourcePosition): void {
  const spec = (obj.spec ?? {}) as { selector?: unknown };
  const containers = podTemplateOf(obj)?.spec?.containers;
  if (spec.selector !== undefined || !Array.isArray(containers) || containers.length === 0 || containers.some((c) => c.image)) return;
  throw usageError(
    'lab-input-is-patch',
    `Deployment ${name} has no selector and no container image: it reads as a strategic-merge patch, not a complete manifest; pass the kustomize directory that applies it (or the complete manifests)`,
    at,
  );
}

/** Exact image, then repository:tag, then repository, then its last path segment. */
export function lookupImage(images: ImageMap, image: string): ImageCommand | undefined {
  if (images[image]) return images[image];
  const ref = parseImageRef(image);
  const candidates = [ref.tag ? `${ref.repository}:${ref.tag}` : undefined, ref.repository, ref.name].filter((x): x is string => !!x);
  for (const c of candidates) if (images[c]) return images[c];
  return undefined;
}

/** The container port the Service targets: a Service selecting the pods, else the first declared port. */
function findServicePort(sourced: readonly SourcedObject[], labels: Record<string, string> | undefined, podSpec: PodSpec): number {
  const containers = podSpec.containers ?? [];
  for (const s of sourced) {
    if (s.object.kind !== 'Service') continue;
    const selector = (s.object.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (!selector || !selectorMatches(selector, labels)) continue;
    const ports = (s.object.spec as { ports?: Array<{ port?: number; targetPort?: number | string }> }).ports ?? [];
    const target = ports[0]?.targetPort ?? ports[0]?.port;
    if (typeof target === 'number') return target;
    if (typeof target === 'string') {
      for (const c of containers) for (const p of c.ports ?? []) if (p.name === target && p.containerPort) return p.containerPort;
    }
  }
  for (const c of containers) for (const p of c.ports ?? []) if (p.containerPort) return p.containerPort;
  return 8080;
}

function numberField(v: unknown, fallback: number, field: string, deployment: string, at: SourcePosition): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || v < 0) throw usageError('lab-bad-field', `Deployment ${deployment}: ${field} must be a number ≥ 0`, at);
  return v;
}

const SIGNALS = new Set(['SIGTERM', 'SIGQUIT', 'SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGKILL']);
function isKnownSignal(s: string): boolean {
  return SIGNALS.has(s);
}
