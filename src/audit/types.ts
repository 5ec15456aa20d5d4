/**
 * The contract between the audit runner and its rules. A rule is a small pure function from a
 * view (workload, Dockerfile or single object) to results; the runner owns I/O, positions,
 * suppression, severities from config and output formats.
 */
import type { Container, KubeObject, PodSpec, PodTemplate, WorkloadKind } from '../k8s/objects.js';
import type { KubernetesVersion } from '../k8s/features.js';
import type { ErrorCode } from '../errors.js';
import type { ConsumerKind, PortTraffic } from '../k8s/serviceConsumers.js';
import type { ServingPort } from '../k8s/serving.js';
import type { PathOverrides, TrafficPath } from '../k8s/trafficPaths.js';
import type { RuleGroupId } from './ruleGroups.js';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** A path into a YAML document from the object root, e.g. ['spec','template','spec','containers',0,'readinessProbe']. */
export type YamlPath = ReadonlyArray<string | number>;

/** Values for a message template's `{{name}}` placeholders (a value left undefined is missing: rendering throws). */
export type MessageData = Readonly<Record<string, string | number | undefined>>;

/**
 * `M` names the rule's message ids and `F` its fix ids, so a rule can only report ids it declares
 * (`defineRule` in src/audit/rules/support/defineRule.ts infers both from the templates).
 */
export interface RuleMeta<M extends string = string, F extends string = string> {
  /** Stable id, also the docs page name: docs/rules/<id>.md */
  id: string;
  /** Which Rule of Uptime (talk) it enforces; null for wiring/version rules. */
  ruleOfUptime: 1 | 2 | 3 | 4 | 5 | 6 | 7 | null;
  /** Default severity (config may override or turn it off). */
  severity: Severity;
  /** One line for `zerodrop rules`. */
  summary: string;
  /**
   * What the rule looks at, the heading `zerodrop rules` and docs/rules/README.md list it under
   * (src/audit/ruleGroups.ts). Optional only so that a rule merged without it still runs; a test
   * names every rule that lacks it.
   */
  looksAt?: RuleGroupId;
  /** True when results carry a patch that `--fix` can apply. */
  fixable?: boolean;
  /**
   * What the rule can report, by stable id (camelCase): templates with `{{name}}` placeholders filled
   * from a result's `data`. JSON findings carry the id as `messageId`, SARIF as `message.id` with
   * these templates as the rule's `messageStrings`.
   */
  messages: Readonly<Record<M, string>>;
  /** The human fix texts, by id: templates filled from the same `data` as the message. */
  fixes: Readonly<Record<F, string>>;
}

/** Settings every rule may read (CLI flags, config file, per-workload annotations already applied). */
export interface AuditSettings {
  kubernetesVersion: KubernetesVersion;
  /** Assumed endpoint-propagation time in seconds (--propagation-seconds, default 5). */
  propagationSeconds: number;
  /** Assumed time the app needs after its stop signal (--drain-seconds, default 5). */
  drainSeconds: number;
  /** `.zerodrop.yaml` `paths:`: removal times per path kind (docs/reference/traffic-paths.md#overrides). */
  paths?: PathOverrides;
}

/**
 * A deep-partial strategic-merge patch of the workload (containers matched by name), which
 * `--fix` merges per workload and prints as a kustomize patch, and `--fix-in-place` applies.
 */
export type StrategicPatch = Record<string, unknown>;

/** What a result says: a message id of the rule, the values its template needs, and which fix text applies. */
export interface ReportedMessage<M extends string = string, F extends string = string> {
  messageId: M;
  /** Values for the placeholders of the message and the fix template. */
  data?: MessageData;
  /** Human fix text: what to change. */
  fixId?: F;
}

export interface RuleResult<M extends string = string, F extends string = string> extends ReportedMessage<M, F> {
  /** Where the problem is: the exact node, or for a missing field the nearest parent that should hold it. */
  path: YamlPath;
  /** Container name when the finding concerns one container. */
  container?: string;
  /** Machine fix, when the rule is fixable. */
  patch?: StrategicPatch;
  /** The traffic path whose removal time the finding was judged against (JSON `trafficPath`). */
  trafficPath?: TrafficPath;
  /**
   * The object `path` is in, when a workload's finding belongs in another object (the HPA whose
   * minReplicas decides its pod count); the workload's own object otherwise.
   */
  at?: ObjectView;
}

export type ContainerRole = 'main' | 'init' | 'native-sidecar';

export interface ContainerView {
  container: Container;
  name: string;
  role: ContainerRole;
  /** Path of this container from the object root. */
  path: YamlPath;
  /** Dockerfiles in the same run whose image name matches this container's image, if any. */
  dockerfiles: DockerfileView[];
}

/** One workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, RC, Pod, Job, CronJob) with cross-object context. */
export interface WorkloadView {
  object: KubeObject;
  kind: WorkloadKind;
  apiVersion: string;
  name: string;
  namespace: string;
  template: PodTemplate;
  podSpec: PodSpec;
  /** Path of the pod spec from the object root (e.g. ['spec','template','spec']). */
  podSpecPath: YamlPath;
  /** Regular containers (role main), init containers and native sidecars, in spec order. */
  containers: ContainerView[];
  /** spec.replicas with API default 1; undefined for DaemonSet, Pod, Job, CronJob. */
  replicas: number | undefined;
  /**
   * Whether a port that reaches these pods carries requests someone waits for: user traffic, or
   * admission calls with failurePolicy Fail. Jobs and CronJobs are never serving.
   */
  serving: boolean;
  /** Why `serving` is what it is, for messages: 'served through LoadBalancer Service web port 80', or 'not serving: …'. */
  servingReason: string;
  /** The consumer that makes the workload serving, as data (JSON `servedBy`); undefined when not serving. */
  servedBy: ServedBy | undefined;
  /** Every port of the selecting Services that reaches these pods, with its consumers and what it carries. */
  servingPorts: ServingPort[];
  /** The containers that listen for the serving traffic (none when not serving), and how they were chosen. */
  servers: ContainerView[];
  serverChoice: string;
  /**
   * The Services that carry its serving traffic, each with every serving workload of the input
   * behind it (this one included): the pods a Service keeps when one of them goes.
   */
  backends: Array<{ service: ObjectView; workloads: WorkloadView[] }>;
  /** Services in the same namespace whose selector matches the pod template labels. */
  services: ObjectView[];
  /** PodDisruptionBudgets in the same namespace selecting the pod template labels. */
  pdbs: ObjectView[];
  /** HorizontalPodAutoscalers targeting this workload. */
  hpas: ObjectView[];
  /** KEDA ScaledObjects targeting this workload (KEDA, not an HPA, decides its lowest count). */
  scaledObjects: ObjectView[];
  /** Ingresses in the same namespace whose backends name one of `services`. */
  ingresses: ObjectView[];
  /** zerodrop.dev/drain-seconds annotation, else settings.drainSeconds. */
  drainSeconds: number;
  /** zerodrop.dev/in-app-drain: "true" or "adaptive": the app delays its own shutdown, so no preStop sleep is needed. */
  inAppDrain: boolean;
  /**
   * Containers whose server delays its own shutdown as a ConfigMap of the input configures it, by
   * container name: CoreDNS's health lameduck (its rule judges the delay against endpoint
   * removal, and the preStop rules leave the container to it), Caddy's shutdown_delay (it keeps
   * serving like a preStop sleep: the preStop rules count it).
   */
  configuredShutdown: ReadonlyMap<string, ConfiguredShutdown>;
  /**
   * Every path by which requests reach these pods (src/k8s/trafficPaths.ts), each with its
   * removal time resolved; empty when not serving or when no Service in the input selects them.
   */
  paths: TrafficPath[];
  /** The workload's Namespace object when the input has it (its labels decide injection and readiness gates). */
  namespaceObject: KubeObject | undefined;
  /**
   * An Argo Rollout with `spec.workloadRef` to a Deployment of the input: `object` is then the
   * Rollout with the Deployment's `spec.template` in place (what the controller resolves), the
   * Rollout as written is `sourceObject`, and findings under `spec.template` are placed in
   * `templateFrom`, the Deployment that holds it.
   */
  sourceObject?: KubeObject;
  templateFrom?: ObjectView;
  /**
   * The referenced Deployment still runs pods of its own (replicas not 0, and `scaleDown` neither
   * `onsuccess` nor `progressively`), so it has its own view, which reports the template's findings.
   */
  templateJudgedByDeployment?: boolean;
}

/** A shutdown delay written in a configuration file of the input. */
export interface ConfiguredShutdown {
  /** The rule that judges it. */
  judgedBy: string;
  /** Whether that rule also judges the delay against endpoint removal (then the preStop rules leave the container to it). */
  judgesRemoval: boolean;
  /** The ConfigMap holding the file. */
  configMap: ObjectView;
  /** The delay it sets, when it sets one: seconds the server keeps serving after its stop signal. */
  delaySeconds?: number;
  /** The delay as written, for messages: `shutdown_delay 10s in /etc/caddy/Caddyfile (ConfigMap caddy)`. */
  origin?: string;
  /** The server, as messages name it. */
  server?: string;
}

/** Which consumer made a workload serving, in findings: the Service port and who sends it requests. */
export interface ServedBy {
  /** Service name (namespace-less: it is the workload's namespace). */
  service: string;
  /** The Service port's number, else its name. */
  port: number | string;
  consumer: ConsumerKind;
  /** The consuming object as `Kind/name` (Ingress, route, webhook configuration, APIService, calling workload), when it is not the Service. */
  via?: string;
  traffic: PortTraffic;
  /** The containers that listen for it, and why they were chosen. */
  containers: string[];
  chosenBecause: string;
}

/** A traffic path in findings (docs/reference/traffic-paths.md). */
export interface FindingTrafficPath {
  kind: TrafficPath['kind'];
  description: string;
  removalSeconds: number;
  removalFrom: TrafficPath['removalFrom'];
  /** The annotation, config key or fields that set the removal time. */
  setBy?: string;
}

/** Any single object (Service, PDB, HPA, Ingress, or a workload) for object-level rules. */
export interface ObjectView {
  object: KubeObject;
  kind: string;
  apiVersion: string;
  name: string;
  /** The namespace cross-object references are resolved in: as written, else `default` (kubectl's `-n`). */
  namespace: string;
  /** Whether metadata.namespace is written; without it kubectl's `-n` decides, and output shows none. */
  namespaceWritten: boolean;
}

/** A parsed Dockerfile: instructions of the final stage with their positions. */
export interface DockerfileView {
  file: string;
  /** Base image of the final stage (FROM ... [AS name]), resolved through stage aliases. */
  finalBaseImage: string | undefined;
  /**
   * Final-stage instructions in order, preceded by those of earlier stages the final stage is
   * built FROM (`FROM build AS final` inherits CMD, STOPSIGNAL, ... from `build`).
   */
  instructions: DockerfileInstruction[];
  /**
   * Files the build context gives the image (COPY/ADD sources next to the Dockerfile), by their
   * absolute path in the image: the scripts its ENTRYPOINT/CMD run and the configs they load.
   */
  contextFiles?: Readonly<Record<string, string>>;
}

export interface DockerfileInstruction {
  /** Upper-case keyword: CMD, ENTRYPOINT, STOPSIGNAL, HEALTHCHECK, FROM, ... */
  keyword: string;
  /** Raw argument text after the keyword. */
  raw: string;
  /** Exec-form JSON array when valid JSON with double quotes, else undefined (shell form). */
  execForm: string[] | undefined;
  /** 1-based line and column of the instruction. */
  line: number;
  column: number;
}

export interface DockerfileResult<M extends string = string, F extends string = string> extends ReportedMessage<M, F> {
  /** The instruction the finding is about, or undefined for "missing instruction" (reported at the final FROM). */
  instruction?: DockerfileInstruction;
}

interface RuleBase<M extends string, F extends string> {
  meta: RuleMeta<M, F>;
}

export interface WorkloadRule<M extends string = string, F extends string = string> extends RuleBase<M, F> {
  target: 'workload';
  check(workload: WorkloadView, settings: AuditSettings): RuleResult<NoInfer<M>, NoInfer<F>>[];
}

export interface ObjectRule<M extends string = string, F extends string = string> extends RuleBase<M, F> {
  target: 'object';
  /** Kinds this rule looks at, e.g. ['Service'] or ['PodDisruptionBudget']. */
  kinds: readonly string[];
  /** `all` gives cross-object context (every object and workload view of the run). */
  check(object: ObjectView, settings: AuditSettings, all: { objects: ObjectView[]; workloads: WorkloadView[] }): RuleResult<NoInfer<M>, NoInfer<F>>[];
}

export interface DockerfileRule<M extends string = string, F extends string = string> extends RuleBase<M, F> {
  target: 'dockerfile';
  check(dockerfile: DockerfileView, settings: AuditSettings): DockerfileResult<NoInfer<M>, NoInfer<F>>[];
}

/**
 * A rule file (`src/audit/rules/<id>.ts`) default-exports one Rule, or an array of Rules sharing
 * one meta when the same id checks several targets (e.g. a Dockerfile and the workload running
 * the image). `src/audit/rules/index.ts` imports each file once. Tests use `testRule` from
 * `src/audit/rules/fixtures/ruleTester.ts`. For fixable results, build `patch` with
 * `patchAt(w.object, path, value)` from `src/audit/patch.ts`.
 */
export type Rule = WorkloadRule | ObjectRule | DockerfileRule;

/** The stable JSON output shape: one finding. */
export interface Finding {
  rule: string;
  /** Stable id of the message within the rule (`meta.messages`); the text may be reworded, the id is not. */
  messageId: string;
  severity: Severity;
  /** The rendered message. */
  message: string;
  /** The values the message and fix templates were filled with (SARIF `message.arguments`). */
  data?: MessageData;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** `namespace` is absent when the object does not write one (kubectl's `-n` decides). */
  object?: { apiVersion: string; kind: string; namespace?: string; name: string };
  container?: string;
  fix?: string;
  /** For a finding about a serving workload: the Service port and consumer that make it serving. */
  servedBy?: ServedBy;
  /** For a finding judged against a traffic path: which path, its removal time and where that came from. */
  trafficPath?: FindingTrafficPath;
  /** Which Rule of Uptime the rule enforces. */
  ruleOfUptime?: number | null;
  /** Set when positions refer to a rendered stream (kustomize, stdin), not the user's source file. */
  rendered?: boolean;
  /**
   * With `rendered`: what rendered it. `kustomize`: the field could not be traced to a file, and
   * the position is in `kubectl kustomize`'s output for the directory `file`; `helm`: `file` is
   * the template and the line is within the document helm rendered from it; `stdin`: the position
   * is in the input stream.
   */
  renderedBy?: 'kustomize' | 'helm' | 'stdin';
  /**
   * audit --cluster: where in the live object `file` (kind/namespace/name) the finding is, as a
   * JSON-path-like location (`spec.template.spec.containers[0]`); line/column then refer to the
   * object printed as YAML.
   */
  location?: string;
}

export interface InputError {
  file: string;
  line?: number;
  column?: number;
  message: string;
  /** Its code in the error catalogue (src/errors/catalogue.ts), which also fixes the exit code. */
  code?: ErrorCode;
}

export interface AuditResult {
  findings: Finding[];
  errors: InputError[];
}
