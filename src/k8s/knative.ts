/**
 * A Knative Service (`serving.knative.dev/v1`) as the Knative controller turns it into pods
 * (docs/reference/knative.md). The Service holds a revision template; each change of it makes a
 * Revision, which Knative runs as a Deployment whose pods get a queue-proxy sidecar in front of
 * the user container. Facts, read at knative/serving @ 98e5ef9:
 *
 * - `timeoutSeconds` (unset or 0: `config-defaults` `revision-timeout-seconds`, 300) caps every
 *   request, written to or not (pkg/http/handler/timeout.go), and is also the pod's
 *   `terminationGracePeriodSeconds` (`BuildPodSpec` in pkg/reconciler/revision/resources/deploy.go).
 * - On termination queue-proxy keeps serving and fails its probes until no request has arrived for
 *   30 s (`drainSleepDuration` in pkg/queue/sharedmain/main.go, the knative.dev/pkg Drainer), so the
 *   networking layer can stop routing to the pod; the user container's preStop waits for that
 *   drain (`/wait-for-drain` on the queue-proxy admin port).
 * - Autoscaling annotations live on the revision template (`autoscaling.knative.dev/min-scale`,
 *   legacy `minScale`; the webhook rejects them on the Service's own metadata). min-scale defaults
 *   to `config-autoscaler` `min-scale` (0), so with the default KPA class and
 *   `enable-scale-to-zero: "true"` an idle revision goes to zero pods; the HPA class never does.
 */
import type { KubeObject } from './objects.js';

export const KNATIVE_SERVING_GROUP = 'serving.knative.dev';

/** What an untouched Knative Serving install uses (config/core/configmaps/defaults.yaml and autoscaler.yaml). */
export const KNATIVE_DEFAULTS = {
  revisionTimeoutSeconds: 300,
  maxRevisionTimeoutSeconds: 600,
  minScale: 0,
  enableScaleToZero: true,
  scaleToZeroGracePeriod: '30s',
  /** queue-proxy's quiet period after its stop signal (pkg/queue/sharedmain/main.go `drainSleepDuration`). */
  queueProxyDrainSeconds: 30,
} as const;

const AUTOSCALING = 'autoscaling.knative.dev';
/** Annotation keys in Knative's order of priority (pkg/apis/autoscaling/register.go `KeyPriority`). */
export const MIN_SCALE_KEYS = [`${AUTOSCALING}/min-scale`, `${AUTOSCALING}/minScale`] as const;
export const MAX_SCALE_KEYS = [`${AUTOSCALING}/max-scale`, `${AUTOSCALING}/maxScale`] as const;
export const INITIAL_SCALE_KEYS = [`${AUTOSCALING}/initial-scale`, `${AUTOSCALING}/initialScale`] as const;
export const CLASS_KEY = `${AUTOSCALING}/class`;
export const HPA_CLASS = 'hpa.autoscaling.knative.dev';

export function isKnativeService(o: { kind?: unknown; apiVersion?: unknown }): boolean {
  return o.kind === 'Service' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${KNATIVE_SERVING_GROUP}/`);
}

/** Cluster-wide settings the input shows: the `config-defaults` / `config-autoscaler` ConfigMaps, or a KnativeServing's `spec.config`. */
export interface KnativeClusterConfig {
  /** The object the settings were read from, for messages (`ConfigMap/config-defaults`). */
  defaultsFrom?: string;
  autoscalerFrom?: string;
  revisionTimeoutSeconds?: number;
  maxRevisionTimeoutSeconds?: number;
  minScale?: number;
  enableScaleToZero?: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function intOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

function boolOf(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  return undefined;
}

/**
 * The cluster settings of the input: a ConfigMap `config-defaults` or `config-autoscaler` in any
 * namespace named `knative-serving`, or an `operator.knative.dev` KnativeServing's
 * `spec.config.defaults` / `spec.config.autoscaler` (the operator writes them into those ConfigMaps).
 * The `_example` key is documentation, never read.
 */
export function knativeClusterConfig(objects: readonly KubeObject[]): KnativeClusterConfig {
  const out: KnativeClusterConfig = {};
  const readDefaults = (data: Record<string, unknown>, from: string) => {
    const timeout = intOf(data['revision-timeout-seconds']);
    const max = intOf(data['max-revision-timeout-seconds']);
    if (timeout === undefined && max === undefined) return;
    out.defaultsFrom = from;
    if (timeout !== undefined) out.revisionTimeoutSeconds = timeout;
    if (max !== undefined) out.maxRevisionTimeoutSeconds = max;
  };
  const readAutoscaler = (data: Record<string, unknown>, from: string) => {
    const min = intOf(data['min-scale']);
    const enable = boolOf(data['enable-scale-to-zero']);
    if (min === undefined && enable === undefined) return;
    out.autoscalerFrom = from;
    if (min !== undefined) out.minScale = min;
    if (enable !== undefined) out.enableScaleToZero = enable;
  };
  for (const o of objects) {
    if (o.kind === 'ConfigMap' && o.apiVersion === 'v1' && o.metadata?.namespace === 'knative-serving' && isRecord(o.data)) {
      if (o.metadata.name === 'config-defaults') readDefaults(o.data, 'ConfigMap knative-serving/config-defaults');
      if (o.metadata.name === 'config-autoscaler') readAutoscaler(o.data, 'ConfigMap knative-serving/config-autoscaler');
    }
    if (o.kind === 'KnativeServing' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('operator.knative.dev/')) {
      const config = isRecord(o.spec) && isRecord(o.spec.config) ? o.spec.config : {};
      const from = `KnativeServing ${String(o.metadata?.name ?? '')}`;
      if (isRecord(config.defaults)) readDefaults(config.defaults, from);
      if (isRecord(config.autoscaler)) readAutoscaler(config.autoscaler, from);
    }
  }
  return out;
}

/** A setting of the revision and where its value came from. */
export interface RevisionSetting<T> {
  value: T;
  /** Path of the written field from the object root; undefined when a default applies. */
  path?: Array<string | number>;
  /** Where the value comes from when it is not written: Knative's default, or the visible cluster config. */
  source: 'written' | 'cluster-config' | 'knative-default';
}

export interface KnativeRevision {
  templatePath: Array<string | number>;
  specPath: Array<string | number>;
  /** Revision-template annotations (where the webhook accepts autoscaling annotations). */
  annotations: Record<string, string>;
  containers: Array<Record<string, unknown>>;
  /** Request cap and the pods' terminationGracePeriodSeconds. */
  timeoutSeconds: RevisionSetting<number>;
  responseStartTimeoutSeconds: RevisionSetting<number> | undefined;
  idleTimeoutSeconds: RevisionSetting<number> | undefined;
  containerConcurrency: number | undefined;
  /** min-scale in effect and the annotation key that set it, if one did. */
  minScale: RevisionSetting<number> & { key?: string };
  maxScale: number | undefined;
  initialScale: number | undefined;
  /** `kpa.autoscaling.knative.dev` unless the class annotation says otherwise. */
  autoscalerClass: string;
  /** Whether the autoscaler may take this revision to zero pods. */
  scalesToZero: boolean;
}

/** The first annotation of `keys` that is written, in Knative's priority order. */
function annotationOf(annotations: Record<string, string>, keys: readonly string[]): { key: string; value: string } | undefined {
  for (const key of keys) if (annotations[key] !== undefined) return { key, value: String(annotations[key]) };
  return undefined;
}

function secondsField(spec: Record<string, unknown>, field: string, specPath: Array<string | number>): RevisionSetting<number> | undefined {
  const v = spec[field];
  return typeof v === 'number' && Number.isFinite(v) ? { value: v, path: [...specPath, field], source: 'written' } : undefined;
}

/** Key prefixes only Google Cloud Run writes on its `serving.knative.dev/v1` Services (`run.googleapis.com/ingress`, `cloud.googleapis.com/location`). */
const CLOUD_RUN_PREFIXES = ['run.googleapis.com/', 'cloud.googleapis.com/'];

/**
 * The Cloud Run annotation or label a Service carries, if any. Cloud Run accepts the Knative
 * Serving API but runs it on its own infrastructure: no queue-proxy or activator, its own request
 * timeout limit (up to 3600 s) and its own shutdown, so Knative's facts do not apply to it.
 */
export function cloudRunMarker(service: KubeObject): string | undefined {
  const template = isRecord(service.spec) && isRecord(service.spec.template) ? service.spec.template : {};
  const metas = [service.metadata, isRecord(template.metadata) ? template.metadata : undefined];
  for (const meta of metas) {
    for (const map of [meta?.annotations, meta?.labels]) {
      if (!isRecord(map)) continue;
      const key = Object.keys(map).find((k) => CLOUD_RUN_PREFIXES.some((p) => k.startsWith(p)));
      if (key) return key;
    }
  }
  return undefined;
}

/**
 * The revision a Knative Service's template makes, with Knative's defaults and the visible
 * cluster config applied; undefined for a Cloud Run service (`cloudRunMarker`).
 */
export function knativeRevisionOf(service: KubeObject, cluster: KnativeClusterConfig = {}): KnativeRevision | undefined {
  if (!isKnativeService(service) || !isRecord(service.spec) || !isRecord(service.spec.template)) return undefined;
  if (cloudRunMarker(service) !== undefined) return undefined;
  const template = service.spec.template;
  const templatePath = ['spec', 'template'];
  const specPath = [...templatePath, 'spec'];
  const spec = isRecord(template.spec) ? template.spec : {};
  const meta = isRecord(template.metadata) ? template.metadata : {};
  const annotations = isRecord(meta.annotations)
    ? (Object.fromEntries(Object.entries(meta.annotations).map(([k, v]) => [k, String(v)])) as Record<string, string>)
    : {};

  // SetDefaults treats 0 like unset (pkg/apis/serving/v1/revision_defaults.go).
  const written = secondsField(spec, 'timeoutSeconds', specPath);
  const timeoutSeconds: RevisionSetting<number> =
    written && written.value !== 0
      ? written
      : cluster.revisionTimeoutSeconds !== undefined
        ? { value: cluster.revisionTimeoutSeconds, source: 'cluster-config' }
        : { value: KNATIVE_DEFAULTS.revisionTimeoutSeconds, source: 'knative-default' };

  const minAnnotation = annotationOf(annotations, MIN_SCALE_KEYS);
  const minWritten = minAnnotation ? intOf(minAnnotation.value) : undefined;
  const minScale: KnativeRevision['minScale'] =
    minAnnotation && minWritten !== undefined
      ? { value: minWritten, key: minAnnotation.key, path: [...templatePath, 'metadata', 'annotations', minAnnotation.key], source: 'written' }
      : cluster.minScale !== undefined
        ? { value: cluster.minScale, source: 'cluster-config' }
        : { value: KNATIVE_DEFAULTS.minScale, source: 'knative-default' };
  const autoscalerClass = annotations[CLASS_KEY] ?? 'kpa.autoscaling.knative.dev';
  const enableScaleToZero = cluster.enableScaleToZero ?? KNATIVE_DEFAULTS.enableScaleToZero;
  const scaleOf = (keys: readonly string[]) => {
    const a = annotationOf(annotations, keys);
    return a ? intOf(a.value) : undefined;
  };
  const cc = spec.containerConcurrency;
  return {
    templatePath,
    specPath,
    annotations,
    containers: Array.isArray(spec.containers) ? spec.containers.filter(isRecord) : [],
    timeoutSeconds,
    responseStartTimeoutSeconds: secondsField(spec, 'responseStartTimeoutSeconds', specPath),
    idleTimeoutSeconds: secondsField(spec, 'idleTimeoutSeconds', specPath),
    containerConcurrency: typeof cc === 'number' ? cc : undefined,
    minScale,
    maxScale: scaleOf(MAX_SCALE_KEYS),
    initialScale: scaleOf(INITIAL_SCALE_KEYS),
    autoscalerClass,
    // The HPA class sets the HPA's minReplicas only when min-scale > 0, and an HPA never goes below 1
    // (pkg/reconciler/autoscaling/hpa/resources/hpa.go).
    scalesToZero: autoscalerClass !== HPA_CLASS && enableScaleToZero && minScale.value === 0,
  };
}
