/**
 * Every path by which requests reach a serving workload's pods, derived from the objects of the
 * input: the Service's type and `externalTrafficPolicy`, the cloud load balancer its annotations
 * ask for, the Ingress class and its controller, Gateway API routes → Gateway → GatewayClass, and
 * AWS TargetGroupBindings. For each path: who stops sending to a terminating pod
 * (`PATH_BUDGETS`), how long that takes for this very path, and where that number came from:
 * the `zerodrop.dev/removal-seconds` annotation, then `.zerodrop.yaml` `paths:`, then what the
 * objects say (health-check interval × unhealthy threshold), then the table's default
 * (docs/reference/traffic-paths.md).
 *
 * Facts the input cannot show (a Namespace label, an IngressClass applied elsewhere, a
 * controller flag) become `assumptions`, each naming what would settle it. Pure: objects in,
 * paths out.
 */
import type { KubeObject } from './objects.js';
import { defaultRemovalSeconds, PATH_BUDGETS, PROPAGATION, REMOVAL_SECONDS_ANNOTATION, type PathKind } from './pathBudgets.js';
import type { ServingPort } from './serving.js';
import { describeServicePort, type ServicePort } from './servicePorts.js';

export type RemovalFrom = 'default' | 'computed' | 'annotation' | 'config';

export interface TrafficPath {
  /** A row of PATH_BUDGETS. */
  kind: PathKind;
  /** The objects making the path, outermost first (Ingress or route, Gateway, Service, TargetGroupBinding, BackendConfig). */
  via: KubeObject[];
  /** 'AWS NLB (IP targets) through Service shop/web port 80'. */
  description: string;
  /** Seconds from the pod's deletion until this path sends it no new request. */
  removalSeconds: number;
  removalFrom: RemovalFrom;
  /** The annotation, config key, flag or fields that set `removalSeconds`, for messages. */
  setBy?: string;
  pinsConnections: boolean;
  /** Condition-type prefix of the readiness gate the pods need for this path. */
  readinessGate?: string;
  /** Facts not in the input, each naming the flag, annotation or object that would settle it. */
  assumptions: string[];
}

/** `.zerodrop.yaml` `paths:`: a removal time per path kind, and the config key that set it. */
export type PathOverrides = Partial<Record<PathKind, { removalSeconds: number; setBy: string }>>;

export interface PathOptions {
  /** The in-cluster assumption (`--propagation-seconds`). */
  propagationSeconds: number;
  overrides?: PathOverrides;
}

/** An annotation value that is not what it should be, reported as an input problem. */
export interface PathProblem {
  object: KubeObject;
  path: Array<string | number>;
  message: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const nameOf = (o: KubeObject) => String(o.metadata?.name ?? '');
const namespaceOf = (o: KubeObject) => (typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : 'default');
const annotationsOf = (o: KubeObject | undefined): Record<string, unknown> => (isRecord(o?.metadata?.annotations) ? o.metadata.annotations : {});
const annotation = (o: KubeObject | undefined, key: string): string | undefined => {
  const v = annotationsOf(o)[key];
  return v === undefined || v === null ? undefined : String(v);
};
const specOf = (o: KubeObject | undefined): Record<string, unknown> => (isRecord(o?.spec) ? o.spec : {});

/** `shop/web` when the namespace is written, `web` when kubectl's `-n` decides. */
export function objectLabel(o: KubeObject): string {
  return typeof o.metadata?.namespace === 'string' ? `${o.metadata.namespace}/${nameOf(o)}` : nameOf(o);
}

const key = (namespace: string, name: string) => `${namespace}\0${name}`;

/** A whole number of seconds ≥ 0 as an annotation writes it ("30", "30s"), else undefined. */
function secondsValue(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*s?\s*$/.exec(raw);
  return m ? Number(m[1]) : undefined;
}

/** The objects of the input paths are read from, indexed once per run. */
export class PathIndex {
  private readonly ingressClasses = new Map<string, KubeObject>();
  private readonly defaultIngressClasses: KubeObject[] = [];
  private readonly ingressClassParams = new Map<string, KubeObject>();
  private readonly gateways = new Map<string, KubeObject>();
  private readonly gatewayClasses = new Map<string, KubeObject>();
  private readonly targetGroupBindings = new Map<string, KubeObject[]>();
  private readonly targetGroupConfigurations = new Map<string, KubeObject>();
  private readonly backendConfigs = new Map<string, KubeObject>();
  private readonly namespaces = new Map<string, KubeObject>();

  constructor(objects: readonly KubeObject[]) {
    for (const o of objects) {
      switch (o.kind) {
        case 'IngressClass':
          this.ingressClasses.set(nameOf(o), o);
          if (annotation(o, 'ingressclass.kubernetes.io/is-default-class') === 'true') this.defaultIngressClasses.push(o);
          break;
        case 'IngressClassParams':
          this.ingressClassParams.set(nameOf(o), o);
          break;
        case 'Gateway':
          this.gateways.set(key(namespaceOf(o), nameOf(o)), o);
          break;
        case 'GatewayClass':
          this.gatewayClasses.set(nameOf(o), o);
          break;
        case 'TargetGroupBinding': {
          const ref = specOf(o).serviceRef;
          if (isRecord(ref) && typeof ref.name === 'string') {
            const k = key(namespaceOf(o), ref.name);
            this.targetGroupBindings.set(k, [...(this.targetGroupBindings.get(k) ?? []), o]);
          }
          break;
        }
        case 'TargetGroupConfiguration': {
          const ref = specOf(o).targetReference;
          if (isRecord(ref) && typeof ref.name === 'string') this.targetGroupConfigurations.set(key(namespaceOf(o), ref.name), o);
          break;
        }
        case 'BackendConfig':
          this.backendConfigs.set(key(namespaceOf(o), nameOf(o)), o);
          break;
        case 'Namespace':
          this.namespaces.set(nameOf(o), o);
          break;
      }
    }
  }

  namespace(name: string): KubeObject | undefined {
    return this.namespaces.get(name);
  }
  ingressClass(name: string): KubeObject | undefined {
    return this.ingressClasses.get(name);
  }
  /** The one IngressClass marked default; none when zero or several are (the API server then refuses to pick). */
  defaultIngressClass(): KubeObject | undefined {
    return this.defaultIngressClasses.length === 1 ? this.defaultIngressClasses[0] : undefined;
  }
  ingressClassParamsOf(ingressClass: KubeObject | undefined): KubeObject | undefined {
    const p = specOf(ingressClass).parameters;
    if (!isRecord(p) || p.kind !== 'IngressClassParams' || typeof p.name !== 'string') return undefined;
    return this.ingressClassParams.get(p.name);
  }
  gateway(namespace: string, name: string): KubeObject | undefined {
    return this.gateways.get(key(namespace, name));
  }
  gatewayClass(name: string): KubeObject | undefined {
    return this.gatewayClasses.get(name);
  }
  targetGroupBindingsOf(service: KubeObject): KubeObject[] {
    return this.targetGroupBindings.get(key(namespaceOf(service), nameOf(service))) ?? [];
  }
  targetGroupConfigurationOf(service: KubeObject): KubeObject | undefined {
    return this.targetGroupConfigurations.get(key(namespaceOf(service), nameOf(service)));
  }
  backendConfig(namespace: string, name: string): KubeObject | undefined {
    return this.backendConfigs.get(key(namespace, name));
  }
}

/** A path before its removal time is resolved: what the objects say. */
interface Draft {
  kind: PathKind;
  via: KubeObject[];
  description: string;
  computed?: { seconds: number; setBy: string };
  assumptions: string[];
}

const AWS = 'service.beta.kubernetes.io/aws-load-balancer-';
const AZURE = 'service.beta.kubernetes.io/azure-load-balancer-';
const ALB = 'alb.ingress.kubernetes.io/';

/** How a path passes through a Service: `through Service shop/web port 80`. */
function throughService(p: ServingPort): string {
  return `Service ${objectLabel(p.service)} ${describeServicePort(p.port)}`;
}

function externalTrafficPolicyOf(service: KubeObject): 'Local' | 'Cluster' {
  return specOf(service).externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster';
}

/**
 * The cloud's node health check for `externalTrafficPolicy: Local`: interval × unhealthy
 * threshold from the provider's Service annotations, with the provider's default for a field
 * not written (AWS Load Balancer Controller 10 s × 3, the table's default; Azure cloud provider
 * 5 s × 2); an assumption when the provider cannot be told from the Service.
 */
function nodeHealthCheck(service: KubeObject, draft: Draft): void {
  const a = annotationsOf(service);
  const svc = `Service ${objectLabel(service)}`;
  const compute = (intervalKey: string, thresholdKey: string, dflt: readonly [number, number], provider: string) => {
    const interval = secondsValue(annotation(service, intervalKey));
    const threshold = secondsValue(annotation(service, thresholdKey));
    const i = interval ?? dflt[0];
    const t = threshold ?? dflt[1];
    const written = [interval !== undefined ? intervalKey : undefined, threshold !== undefined ? thresholdKey : undefined].filter(Boolean);
    const from = written.length > 0 ? `${written.join(', ')} on ${svc}` : `${provider}'s defaults`;
    draft.computed = { seconds: i * t, setBy: `node health check every ${i} s × ${t} failures (${from})` };
  };
  if (Object.keys(a).some((k) => k.startsWith(AWS)) || specOf(service).loadBalancerClass === 'service.k8s.aws/nlb')
    compute(`${AWS}healthcheck-interval`, `${AWS}healthcheck-unhealthy-threshold`, [10, 3], 'the AWS Load Balancer Controller');
  else if (Object.keys(a).some((k) => k.startsWith(AZURE)))
    compute(`${AZURE}health-probe-interval`, `${AZURE}health-probe-num-of-probe`, [5, 2], 'the Azure cloud provider');
  else
    draft.assumptions.push(
      `the load balancer's node health check is assumed to fail after 10 s × 3; the cloud's settings are not in the input (set ${REMOVAL_SECONDS_ANNOTATION} on ${svc})`,
    );
}

/** Instance (node) targets: kube-proxy removes the pod, unless `externalTrafficPolicy: Local` makes the node's health check decide. */
function nodeTargets(p: ServingPort, via: KubeObject[], label: string, assumptions: string[]): Draft {
  if (externalTrafficPolicyOf(p.service) === 'Local') {
    const draft: Draft = {
      kind: 'node-local',
      via,
      description: `${label} (node targets, externalTrafficPolicy: Local) through ${throughService(p)}`,
      assumptions,
    };
    nodeHealthCheck(p.service, draft);
    return draft;
  }
  return { kind: 'cloud-lb-nodes', via, description: `${label} (node targets) through ${throughService(p)}`, assumptions };
}

/** A `type: LoadBalancer` Service: which load balancer its annotations ask for, and its targets. */
function loadBalancerPath(p: ServingPort): Draft {
  const svc = p.service;
  const type = annotation(svc, `${AWS}type`);
  const lbClass = specOf(svc).loadBalancerClass;
  const viaLbc = type === 'nlb-ip' || type === 'external' || lbClass === 'service.k8s.aws/nlb';
  if (viaLbc) {
    const written = annotation(svc, `${AWS}nlb-target-type`);
    const target = type === 'nlb-ip' ? 'ip' : (written ?? 'instance');
    if (target === 'ip') return { kind: 'aws-nlb-ip', via: [svc], description: `AWS NLB (IP targets) through ${throughService(p)}`, assumptions: [] };
    const assumptions =
      written === undefined
        ? [
            `NLB target type assumed instance, the AWS Load Balancer Controller's default (unless it runs with --default-target-type ip; ${AWS}nlb-target-type settles it)`,
          ]
        : [];
    return nodeTargets(p, [svc], 'AWS NLB', assumptions);
  }
  if (type === 'nlb') return nodeTargets(p, [svc], 'AWS NLB (in-tree)', []);
  return nodeTargets(p, [svc], 'cloud load balancer', []);
}

/** GKE's `cloud.google.com/neg` on a Service: `{"ingress": true}`, `{"exposed_ports": {...}}`; undefined when not written or not JSON. */
function negAnnotation(service: KubeObject): { ingress?: boolean; exposedPorts: string[] } | undefined {
  const raw = annotation(service, 'cloud.google.com/neg');
  if (raw === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    if (!isRecord(v)) return undefined;
    return {
      ...(typeof v.ingress === 'boolean' ? { ingress: v.ingress } : {}),
      exposedPorts: isRecord(v.exposed_ports) ? Object.keys(v.exposed_ports) : [],
    };
  } catch {
    return undefined;
  }
}

/** The BackendConfig a Service port names: `{"ports": {"80": "x"}}` (by port number or name) over `{"default": "x"}`. */
export function backendConfigNameOf(service: KubeObject, port: ServicePort): string | undefined {
  const raw = annotation(service, 'cloud.google.com/backend-config') ?? annotation(service, 'beta.cloud.google.com/backend-config');
  if (raw === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    if (!isRecord(v)) return undefined;
    const ports = isRecord(v.ports) ? v.ports : {};
    const byPort = [port.port !== undefined ? String(port.port) : undefined, port.name]
      .map((k) => (k === undefined ? undefined : ports[k]))
      .find((x) => typeof x === 'string');
    if (typeof byPort === 'string') return byPort;
    return typeof v.default === 'string' ? v.default : undefined;
  } catch {
    return undefined;
  }
}

/** GKE NEG path (Ingress, Gateway or standalone): its BackendConfig's health check, when written, sets the removal time. */
function negPath(p: ServingPort, outer: KubeObject[], label: string, index: PathIndex, assumptions: string[]): Draft {
  const via = [...outer, p.service];
  const draft: Draft = { kind: 'gke-neg', via, description: `${label} through ${throughService(p)}`, assumptions };
  const bcName = backendConfigNameOf(p.service, p.port);
  if (bcName === undefined) return draft;
  const bc = index.backendConfig(namespaceOf(p.service), bcName);
  if (!bc) {
    assumptions.push(
      `BackendConfig ${bcName} (named by cloud.google.com/backend-config on Service ${objectLabel(p.service)}) is not in the input: its health check and connection draining are unknown`,
    );
    return draft;
  }
  via.push(bc);
  const hc = specOf(bc).healthCheck;
  if (isRecord(hc) && (typeof hc.checkIntervalSec === 'number' || typeof hc.unhealthyThreshold === 'number')) {
    const i = typeof hc.checkIntervalSec === 'number' ? hc.checkIntervalSec : 5;
    const t = typeof hc.unhealthyThreshold === 'number' ? hc.unhealthyThreshold : 2;
    draft.computed = { seconds: i * t, setBy: `health check every ${i} s × ${t} failures (spec.healthCheck of BackendConfig ${objectLabel(bc)})` };
  }
  return draft;
}

/** The Ingress's class: `spec.ingressClassName`, else the `kubernetes.io/ingress.class` annotation, else the default IngressClass. */
function ingressClassOf(ingress: KubeObject, index: PathIndex): { name?: string; object?: KubeObject; assumptions: string[] } {
  const written = specOf(ingress).ingressClassName;
  const name = typeof written === 'string' ? written : annotation(ingress, 'kubernetes.io/ingress.class');
  if (name !== undefined) {
    const object = index.ingressClass(name);
    return { name, ...(object ? { object } : {}), assumptions: [] };
  }
  const dflt = index.defaultIngressClass();
  if (dflt) return { name: nameOf(dflt), object: dflt, assumptions: [] };
  return {
    assumptions: [
      `Ingress ${objectLabel(ingress)} names no class: the cluster's default IngressClass decides, and it is not in the input (spec.ingressClassName settles it)`,
    ],
  };
}

/** Well-known IngressClass names, for a class whose IngressClass object is not in the input. */
const CLASS_NAME_CONTROLLERS: Readonly<Record<string, string>> = {
  nginx: 'k8s.io/ingress-nginx',
  alb: 'ingress.k8s.aws/alb',
  gce: 'gce',
  'gce-internal': 'gce',
  'azure/application-gateway': 'azure/application-gateway',
  traefik: 'traefik.io/ingress-controller',
};

function ingressPath(p: ServingPort, ingress: KubeObject, index: PathIndex): Draft {
  const cls = ingressClassOf(ingress, index);
  const assumptions = [...cls.assumptions];
  const written = specOf(cls.object).controller;
  let controller = typeof written === 'string' ? written : undefined;
  if (controller === undefined && cls.name !== undefined) {
    controller = CLASS_NAME_CONTROLLERS[cls.name];
    if (controller !== undefined)
      assumptions.push(
        `IngressClass ${cls.name} is not in the input: assumed to be ${controller === 'gce' ? 'GKE Ingress' : controller}, the controller that uses that name by default`,
      );
  }
  const via = [ingress, p.service];
  const through = `Ingress ${objectLabel(ingress)} → ${throughService(p)}`;
  switch (controller) {
    case 'k8s.io/ingress-nginx':
      return { kind: 'ingress-nginx', via, description: `ingress-nginx through ${through}`, assumptions };
    case 'ingress.k8s.aws/alb': {
      const params = index.ingressClassParamsOf(cls.object);
      const fromParams = specOf(params).targetType;
      const fromService = annotation(p.service, `${ALB}target-type`);
      const fromIngress = annotation(ingress, `${ALB}target-type`);
      const target = typeof fromParams === 'string' ? fromParams : (fromService ?? fromIngress);
      if (target === undefined)
        assumptions.push(
          `ALB target type assumed instance, the AWS Load Balancer Controller's default (unless it runs with --default-target-type ip; ${ALB}target-type settles it)`,
        );
      if (target === 'ip') return { kind: 'aws-alb-ip', via, description: `AWS ALB (IP targets) through ${through}`, assumptions };
      const nodes = nodeTargets(p, via, 'AWS ALB', assumptions);
      return { ...nodes, description: nodes.description.replace(`through ${throughService(p)}`, `through ${through}`) };
    }
    case 'gce': {
      const neg = negAnnotation(p.service);
      if (neg?.ingress === false) return { kind: 'cloud-lb-nodes', via, description: `GKE Ingress (instance groups) through ${through}`, assumptions };
      if (neg?.ingress !== true)
        assumptions.push(
          `GKE Ingress assumed to use NEGs, the default for Services on VPC-native clusters since GKE 1.17 (cloud.google.com/neg: '{"ingress": true}' on Service ${objectLabel(p.service)} settles it)`,
        );
      return negPath(p, [ingress], `GKE Ingress (NEG) through Ingress ${objectLabel(ingress)} →`, index, assumptions);
    }
    case 'azure/application-gateway':
      return { kind: 'azure-agic', via, description: `Azure Application Gateway (AGIC) through ${through}`, assumptions };
    default: {
      const what =
        controller === 'traefik.io/ingress-controller'
          ? 'Traefik'
          : cls.name !== undefined
            ? `ingress class ${cls.name}${controller ? ` (${controller})` : ''}`
            : 'an ingress controller';
      if (controller === undefined && cls.name !== undefined)
        assumptions.push(
          `IngressClass ${cls.name} is not in the input: its controller is unknown, assumed to follow EndpointSlices like most in-cluster controllers`,
        );
      return { kind: 'ingress-controller', via, description: `${what} through ${through}`, assumptions };
    }
  }
}

/** A route's parent Gateways (`parentRefs` of kind Gateway, the default), in the route's namespace unless written. */
function parentGateways(route: KubeObject): Array<{ namespace: string; name: string }> {
  const refs = specOf(route).parentRefs;
  return (Array.isArray(refs) ? refs : [])
    .filter(isRecord)
    .filter(
      (r) => typeof r.name === 'string' && (r.kind ?? 'Gateway') === 'Gateway' && (r.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io',
    )
    .map((r) => ({ namespace: typeof r.namespace === 'string' ? r.namespace : namespaceOf(route), name: String(r.name) }));
}

function routePaths(p: ServingPort, route: KubeObject, index: PathIndex): Draft[] {
  const parents = parentGateways(route);
  const routeLabel = `${String(route.kind)} ${objectLabel(route)}`;
  if (parents.length === 0)
    return [
      {
        kind: 'ingress-controller',
        via: [route, p.service],
        description: `a Gateway through ${routeLabel} → ${throughService(p)}`,
        assumptions: [`${routeLabel} names no parent Gateway; its implementation is unknown`],
      },
    ];
  return parents.map((ref) => {
    const gateway = index.gateway(ref.namespace, ref.name);
    const gwLabel = gateway ? `Gateway ${objectLabel(gateway)}` : `Gateway ${ref.namespace}/${ref.name}`;
    const through = `${routeLabel} → ${gwLabel} → ${throughService(p)}`;
    const via = gateway ? [route, gateway, p.service] : [route, p.service];
    if (!gateway)
      return {
        kind: 'ingress-controller' as const,
        via,
        description: `a Gateway through ${through}`,
        assumptions: [`${gwLabel} is not in the input: its GatewayClass and implementation are unknown`],
      };
    const className = specOf(gateway).gatewayClassName;
    const gwClass = typeof className === 'string' ? index.gatewayClass(className) : undefined;
    const controllerName = specOf(gwClass).controllerName;
    const assumptions: string[] = [];
    let controller = typeof controllerName === 'string' ? controllerName : undefined;
    if (controller === undefined && typeof className === 'string' && className.startsWith('gke-l7')) {
      controller = 'networking.gke.io/gateway';
      assumptions.push(`GatewayClass ${className} is not in the input: assumed to be GKE's (networking.gke.io/gateway), which uses NEGs`);
    } else if (controller === undefined)
      assumptions.push(`GatewayClass ${String(className ?? '(none)')} is not in the input: its implementation is unknown, assumed to follow EndpointSlices`);
    switch (controller) {
      case 'networking.gke.io/gateway':
        return negPath(p, [route, gateway], `GKE Gateway (NEG) through ${routeLabel} → ${gwLabel} →`, index, assumptions);
      case 'gateway.k8s.aws/alb':
      case 'gateway.k8s.aws/nlb': {
        const nlb = controller === 'gateway.k8s.aws/nlb';
        const tgc = index.targetGroupConfigurationOf(p.service);
        const dc = specOf(tgc).defaultConfiguration;
        const target = isRecord(dc) && typeof dc.targetType === 'string' ? dc.targetType : undefined;
        const v = tgc ? [...via, tgc] : via;
        if (target === undefined)
          assumptions.push(
            `target type assumed instance, the AWS Load Balancer Controller's default (a TargetGroupConfiguration for Service ${objectLabel(p.service)} settles it)`,
          );
        if (target === 'ip')
          return {
            kind: nlb ? ('aws-nlb-ip' as const) : ('aws-alb-ip' as const),
            via: v,
            description: `AWS ${nlb ? 'NLB' : 'ALB'} (IP targets) through ${through}`,
            assumptions,
          };
        const nodes = nodeTargets(p, v, `AWS ${nlb ? 'NLB' : 'ALB'}`, assumptions);
        return { ...nodes, description: nodes.description.replace(`through ${throughService(p)}`, `through ${through}`) };
      }
      default:
        return {
          kind: 'ingress-controller' as const,
          via: gwClass ? [route, gateway, p.service] : via,
          description: `${controller ?? 'a Gateway implementation'} through ${through}`,
          assumptions,
        };
    }
  });
}

/** A TargetGroupBinding for the Service port: the controller registers pod IPs (ip) or nodes (instance) in an existing target group. */
function targetGroupBindingPath(p: ServingPort, tgb: KubeObject): Draft {
  const tt = specOf(tgb).targetType;
  const through = `TargetGroupBinding ${objectLabel(tgb)} → ${throughService(p)}`;
  const via = [tgb, p.service];
  if (tt === 'ip')
    return {
      kind: 'aws-alb-ip',
      via,
      description: `AWS target group (IP targets) through ${through}`,
      assumptions: [
        `TargetGroupBinding ${objectLabel(tgb)} does not say whether its target group belongs to an ALB or an NLB: assumed an ALB (30 s); for an NLB set ${REMOVAL_SECONDS_ANNOTATION}: "120" on it`,
      ],
    };
  const assumptions =
    tt === 'instance' ? [] : [`TargetGroupBinding ${objectLabel(tgb)} writes no spec.targetType: the controller reads it from AWS; assumed instance`];
  const nodes = nodeTargets(p, via, 'AWS target group', assumptions);
  return { ...nodes, description: nodes.description.replace(`through ${throughService(p)}`, `through ${through}`) };
}

/** The paths one carrying Service port gives the pods, from its consumers. */
function portPaths(p: ServingPort, index: PathIndex): Draft[] {
  const out: Draft[] = [];
  for (const c of p.consumers) {
    switch (c.kind) {
      case 'ingress':
        out.push(ingressPath(p, c.object, index));
        break;
      case 'gateway-route':
        out.push(...routePaths(p, c.object, index));
        break;
      case 'load-balancer':
        out.push(loadBalancerPath(p));
        break;
      case 'node-port':
        out.push({ kind: 'kube-proxy', via: [p.service], description: `kube-proxy through NodePort ${throughService(p)}`, assumptions: [] });
        break;
      case 'scrape':
        break;
      default:
        // Callers, admission webhooks, APIServices and unseen ClusterIP clients all reach the pods through kube-proxy's rules.
        out.push({ kind: 'kube-proxy', via: [p.service], description: `kube-proxy through ${throughService(p)}`, assumptions: [] });
    }
  }
  // A ClusterIP Service whose callers are not in the input: they reach the pods through kube-proxy.
  if (p.decidedBy?.kind === 'cluster-ip')
    out.push({ kind: 'kube-proxy', via: [p.service], description: `kube-proxy through ${throughService(p)}`, assumptions: [] });
  for (const tgb of index.targetGroupBindingsOf(p.service)) {
    const ref = specOf(tgb).serviceRef as Record<string, unknown>;
    if (ref.port === undefined || ref.port === p.port.port || ref.port === p.port.name) out.push(targetGroupBindingPath(p, tgb));
  }
  const neg = negAnnotation(p.service);
  if (neg?.exposedPorts.includes(String(p.port.port)))
    out.push(
      negPath(p, [], 'GKE standalone NEG', index, [
        'a standalone NEG is attached to a load balancer outside the cluster; its health check is not in the input',
      ]),
    );
  return out;
}

/**
 * Every path to the pods behind these Service ports (the carrying ones: user traffic and
 * admission calls), with its removal time resolved, and the annotation values that could not be
 * read. One path per kind and chain of objects, even when several ports of a Service take it.
 */
export function trafficPathsOf(ports: readonly ServingPort[], index: PathIndex, options: PathOptions): { paths: TrafficPath[]; problems: PathProblem[] } {
  const problems: PathProblem[] = [];
  const seen = new Set<string>();
  const paths: TrafficPath[] = [];
  const ids = new Map<KubeObject, number>();
  const idOf = (o: KubeObject) => {
    if (!ids.has(o)) ids.set(o, ids.size);
    return ids.get(o)!;
  };
  for (const p of ports) {
    if (p.traffic !== 'user' && p.traffic !== 'admission') continue;
    for (const d of portPaths(p, index)) {
      const k = `${d.kind}\0${d.via.map(idOf).join(',')}`;
      if (seen.has(k)) continue;
      seen.add(k);
      paths.push(resolve(d, options, problems));
    }
  }
  return { paths, problems };
}

function resolve(d: Draft, options: PathOptions, problems: PathProblem[]): TrafficPath {
  const budget = PATH_BUDGETS[d.kind];
  const base = {
    kind: d.kind,
    via: d.via,
    description: d.description,
    pinsConnections: budget.pinsConnections,
    ...(budget.readinessGate ? { readinessGate: budget.readinessGate } : {}),
    assumptions: d.assumptions,
  };
  for (const o of d.via) {
    const raw = annotation(o, REMOVAL_SECONDS_ANNOTATION);
    if (raw === undefined) continue;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < 0) {
      problems.push({
        object: o,
        path: ['metadata', 'annotations', REMOVAL_SECONDS_ANNOTATION],
        message: `${REMOVAL_SECONDS_ANNOTATION} must be a number of seconds, got "${raw}"`,
      });
      continue;
    }
    return {
      ...base,
      removalSeconds: n,
      removalFrom: 'annotation',
      setBy: `${REMOVAL_SECONDS_ANNOTATION} on ${String(o.kind)} ${objectLabel(o)}`,
      assumptions: [],
    };
  }
  const configured = options.overrides?.[d.kind];
  if (configured) return { ...base, removalSeconds: configured.removalSeconds, removalFrom: 'config', setBy: configured.setBy };
  if (d.computed) return { ...base, removalSeconds: d.computed.seconds, removalFrom: 'computed', setBy: d.computed.setBy };
  return {
    ...base,
    removalSeconds: defaultRemovalSeconds(d.kind, options.propagationSeconds),
    removalFrom: 'default',
    ...(budget.removalSeconds === PROPAGATION ? { setBy: '--propagation-seconds' } : {}),
  };
}

/** The path that lets go of a terminating pod last; undefined when none reaches it. The first of equals wins. */
export function slowestOf(paths: readonly TrafficPath[]): TrafficPath | undefined {
  let slowest: TrafficPath | undefined;
  for (const p of paths) if (!slowest || p.removalSeconds > slowest.removalSeconds) slowest = p;
  return slowest;
}

/** Whether the path's removal time is the in-cluster assumption (`--propagation-seconds`) rather than a number of its own. */
export function followsPropagation(path: TrafficPath): boolean {
  return path.removalFrom === 'default' && PATH_BUDGETS[path.kind].removalSeconds === PROPAGATION;
}
