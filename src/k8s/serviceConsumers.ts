/**
 * Who sends requests to a Service port, read from the other objects of the input: Ingresses and
 * Gateway API routes, the Service's own type (LoadBalancer, NodePort), APIServices and admission
 * webhook configurations (the API server calls them), ServiceMonitors, PodMonitors and
 * `prometheus.io/port` (a scraper calls them), and workloads whose environment or arguments name
 * the Service. What a port carries follows from its consumers (`portTraffic`); a workload is
 * serving when a port that reaches it carries user or admission traffic
 * (docs/reference/service-consumers.md).
 */
import { isWorkloadKind, podTemplateOf, selectorMatches, type KubeObject, type LabelSelector } from './objects.js';
import { isMetricsPortName, isMetricsServiceName } from './scrapeSignals.js';
import { servicePortsOf, serviceTypeOf, type ServicePort } from './servicePorts.js';

export type ConsumerKind =
  /** An Ingress backend names the Service (an ingress controller proxies user requests). */
  | 'ingress'
  /** A Gateway API route's backendRef names it. */
  | 'gateway-route'
  /** `type: LoadBalancer`: a cloud load balancer sends traffic from outside. */
  | 'load-balancer'
  /** `type: NodePort`: traffic arrives on every node's port. */
  | 'node-port'
  /** An APIService: the API server proxies an aggregated API (`kubectl top`, HPA metrics) to it. */
  | 'aggregated-api'
  /** A Validating/MutatingWebhookConfiguration: the API server calls it on matching writes. */
  | 'admission-webhook'
  /** A scraper: ServiceMonitor, PodMonitor, `prometheus.io/port`, or a metrics port/Service name. */
  | 'scrape'
  /** Another workload of the input names the Service's DNS name in its env, args or command. */
  | 'caller'
  /** Nothing in the input names it: a ClusterIP (or headless) Service's callers are elsewhere. */
  | 'cluster-ip';

export type ScrapeSignal = 'port-name' | 'service-name' | 'prometheus.io/port' | 'ServiceMonitor' | 'PodMonitor';

export interface Consumer {
  kind: ConsumerKind;
  /**
   * The consuming object: the Ingress, route, APIService, webhook configuration, ServiceMonitor,
   * PodMonitor or calling workload; the Service itself for its type, its name and its annotations.
   */
  object: KubeObject;
  /** admission-webhook: the webhook and its failure policy (written, else the API version's default). */
  webhook?: { name: string; failurePolicy: 'Fail' | 'Ignore'; written: boolean };
  /** scrape: what designates the port. */
  scrape?: ScrapeSignal;
}

/** What a Service port carries: user requests, API-server admission calls, scrapes, or nothing that fails. */
export type PortTraffic = 'user' | 'admission' | 'metrics' | 'none';

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const nameOf = (o: KubeObject) => String(o.metadata?.name ?? '');
/** The namespace as written; objects without one land in kubectl's `-n` namespace. */
const writtenNamespace = (o: KubeObject) => (typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : undefined);
/** Same-namespace references: two objects without a namespace share kubectl's `-n` namespace; `default` stands for it otherwise. */
const namespaceOf = (o: KubeObject) => writtenNamespace(o) ?? 'default';

/** An explicit `namespace` reference matches a Service in it, or one written without a namespace (applied with `-n`). */
function inNamespace(service: KubeObject, namespace: unknown): boolean {
  const own = writtenNamespace(service);
  return own === undefined || typeof namespace !== 'string' || own === namespace;
}

/** A reference to a Service port by number or name (Ingress backends, route backendRefs, webhook and APIService ports). */
type PortRef = { number?: number; name?: string };

function refersTo(ref: PortRef | undefined, port: ServicePort): boolean {
  if (!ref || (ref.number === undefined && ref.name === undefined)) return true;
  return (ref.number !== undefined && ref.number === port.port) || (ref.name !== undefined && ref.name === port.name);
}

interface Reference {
  consumer: Consumer;
  port?: PortRef;
}

/**
 * The AWS Load Balancer Controller's `port.name: use-annotation`: the backend is the action
 * `alb.ingress.kubernetes.io/actions.<service name>`, whose forward config names the Services
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#actions).
 * Argo Rollouts writes that action at run time for its stable and canary Services, so in a
 * manifest it is often absent: the named Service is then the backend, on a port we cannot tell.
 */
const ALB_USE_ANNOTATION = 'use-annotation';

function albActionBackends(ingress: KubeObject, action: string): Array<{ service: string; port: PortRef }> {
  const raw = ingress.metadata?.annotations?.[`alb.ingress.kubernetes.io/actions.${action}`];
  if (typeof raw !== 'string') return [{ service: action, port: {} }];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  const forward = isRecord(parsed) && isRecord(parsed.ForwardConfig) ? parsed.ForwardConfig : parsed;
  const groups = isRecord(forward) && Array.isArray(forward.TargetGroups) ? forward.TargetGroups : [];
  return groups.flatMap((g) => {
    if (!isRecord(g) || typeof g.ServiceName !== 'string') return [];
    const port = g.ServicePort;
    const number = typeof port === 'number' ? port : typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : undefined;
    return [{ service: g.ServiceName, port: number !== undefined ? { number } : typeof port === 'string' ? { name: port } : {} }];
  });
}

/** Ingress backends (networking.k8s.io/v1 `service.{name,port}`, extensions/v1beta1 `serviceName`/`servicePort`). */
function ingressBackends(ingress: KubeObject): Array<{ service: string; port: PortRef }> {
  const out: Array<{ service: string; port: PortRef }> = [];
  const add = (b: unknown) => {
    if (!isRecord(b)) return;
    const svc = b.service;
    if (isRecord(svc) && typeof svc.name === 'string') {
      const p = isRecord(svc.port) ? svc.port : {};
      if (p.name === ALB_USE_ANNOTATION) {
        out.push(...albActionBackends(ingress, svc.name));
        return;
      }
      out.push({
        service: svc.name,
        port: { ...(typeof p.number === 'number' ? { number: p.number } : {}), ...(typeof p.name === 'string' ? { name: p.name } : {}) },
      });
    }
    if (typeof b.serviceName === 'string') {
      const sp = b.servicePort;
      out.push({ service: b.serviceName, port: typeof sp === 'number' ? { number: sp } : typeof sp === 'string' ? { name: sp } : {} });
    }
  };
  const spec = isRecord(ingress.spec) ? ingress.spec : {};
  add(spec.defaultBackend);
  add(spec.backend);
  for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
    const paths = isRecord(rule) && isRecord(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
    for (const path of paths) if (isRecord(path)) add(path.backend);
  }
  return out;
}

export const GATEWAY_ROUTE_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'];

/** Route backendRefs to core Services (`group` "" and `kind` Service are the defaults), with their namespace. */
function routeBackends(route: KubeObject): Array<{ service: string; namespace: string; port: PortRef }> {
  const spec = isRecord(route.spec) ? route.spec : {};
  const out: Array<{ service: string; namespace: string; port: PortRef }> = [];
  for (const rule of Array.isArray(spec.rules) ? spec.rules : []) {
    const refs = isRecord(rule) && Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
    for (const ref of refs) {
      if (!isRecord(ref) || typeof ref.name !== 'string') continue;
      if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service') continue;
      out.push({
        service: ref.name,
        namespace: typeof ref.namespace === 'string' ? ref.namespace : namespaceOf(route),
        port: typeof ref.port === 'number' ? { number: ref.port } : {},
      });
    }
  }
  return out;
}

/**
 * `failurePolicy` as the API server applies it: admissionregistration.k8s.io/v1 defaults to Fail,
 * the removed v1beta1 to Ignore (k8s.io/api admissionregistration types).
 */
function failurePolicyOf(webhook: Record<string, unknown>, apiVersion: unknown): { failurePolicy: 'Fail' | 'Ignore'; written: boolean } {
  if (webhook.failurePolicy === 'Fail' || webhook.failurePolicy === 'Ignore') return { failurePolicy: webhook.failurePolicy, written: true };
  return { failurePolicy: apiVersion === 'admissionregistration.k8s.io/v1beta1' ? 'Ignore' : 'Fail', written: false };
}

/** `clientConfig.service` and APIService `spec.service` ports default to 443. */
function servicePortRef(port: unknown): PortRef {
  return { number: typeof port === 'number' ? port : 443 };
}

/** Hostnames a string names: `web`, `web:8080`, `http://web.shop.svc.cluster.local/x`. */
const HOST = /(?:^|[\s"'=,;(@/])([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)(?:\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?))?(?:\.svc(?:\.cluster\.local)?)?(?=$|[:/\s"',;)])/g;

function stringsOfWorkload(o: KubeObject): string[] {
  const out: string[] = [];
  const visit = (c: unknown) => {
    if (!isRecord(c)) return;
    for (const e of Array.isArray(c.env) ? c.env : []) if (isRecord(e) && typeof e.value === 'string') out.push(e.value);
    for (const key of ['args', 'command'] as const) for (const s of Array.isArray(c[key]) ? c[key] : []) if (typeof s === 'string') out.push(s);
  };
  const spec = podTemplateOf(o)?.spec;
  for (const c of Array.isArray(spec?.containers) ? spec.containers : []) visit(c);
  for (const c of Array.isArray(spec?.initContainers) ? spec.initContainers : []) visit(c);
  return out;
}

/** The pods a Service port is judged for: their labels and annotations, the workload, where the port lands. */
export interface PodSide {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The workload itself, which does not call its own Service. */
  self: KubeObject;
  containerPort?: number;
  containerPortName?: string;
}

/** Consumers of the Service ports of one input, indexed once. */
export class ConsumerIndex {
  private readonly byService = new Map<string, Reference[]>();
  private readonly webhooksByService = new Map<string, Array<Reference & { namespace: unknown }>>();
  private readonly serviceMonitors: KubeObject[] = [];
  private readonly podMonitors: KubeObject[] = [];
  private readonly callersByName = new Map<string, KubeObject[]>();

  constructor(objects: readonly KubeObject[]) {
    const add = (namespace: string, service: string, ref: Reference) => {
      const key = `${namespace}\0${service}`;
      const list = this.byService.get(key);
      if (list) list.push(ref);
      else this.byService.set(key, [ref]);
    };
    for (const o of objects) {
      if (o.kind === 'Ingress') {
        for (const b of ingressBackends(o)) add(namespaceOf(o), b.service, { consumer: { kind: 'ingress', object: o }, port: b.port });
      } else if (typeof o.kind === 'string' && GATEWAY_ROUTE_KINDS.includes(o.kind)) {
        for (const b of routeBackends(o)) add(b.namespace, b.service, { consumer: { kind: 'gateway-route', object: o }, port: b.port });
      } else if (o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration') {
        for (const w of Array.isArray(o.webhooks) ? o.webhooks : []) {
          const svc = isRecord(w) && isRecord(w.clientConfig) && isRecord(w.clientConfig.service) ? w.clientConfig.service : undefined;
          if (!svc || typeof svc.name !== 'string') continue;
          const webhook = { name: String((w as Record<string, unknown>).name ?? ''), ...failurePolicyOf(w as Record<string, unknown>, o.apiVersion) };
          const list = this.webhooksByService.get(svc.name) ?? [];
          list.push({ consumer: { kind: 'admission-webhook', object: o, webhook }, port: servicePortRef(svc.port), namespace: svc.namespace });
          this.webhooksByService.set(svc.name, list);
        }
      } else if (o.kind === 'APIService') {
        const svc = isRecord(o.spec) && isRecord(o.spec.service) ? o.spec.service : undefined;
        if (svc && typeof svc.name === 'string') {
          const list = this.webhooksByService.get(svc.name) ?? [];
          list.push({ consumer: { kind: 'aggregated-api', object: o }, port: servicePortRef(svc.port), namespace: svc.namespace });
          this.webhooksByService.set(svc.name, list);
        }
      } else if (o.kind === 'ServiceMonitor') this.serviceMonitors.push(o);
      else if (o.kind === 'PodMonitor') this.podMonitors.push(o);
      if (isWorkloadKind(o.kind)) {
        for (const s of stringsOfWorkload(o)) {
          for (const m of s.matchAll(HOST)) {
            const key = `${m[2] ?? namespaceOf(o)}\0${m[1]}`;
            const list = this.callersByName.get(key) ?? [];
            if (!list.includes(o)) list.push(o);
            this.callersByName.set(key, list);
          }
        }
      }
    }
  }

  /**
   * Every consumer of one Service port that the input shows, the port's own metrics signals
   * included; `podTarget` is where the port lands in the pods judged (for pod-level signals).
   */
  consumersOf(service: KubeObject, port: ServicePort, pod?: PodSide): Consumer[] {
    const out: Consumer[] = [];
    const ns = namespaceOf(service);
    const name = nameOf(service);
    for (const r of this.byService.get(`${ns}\0${name}`) ?? []) if (refersTo(r.port, port)) out.push(r.consumer);
    for (const r of this.webhooksByService.get(name) ?? []) if (inNamespace(service, r.namespace) && refersTo(r.port, port)) out.push(r.consumer);
    const type = serviceTypeOf(service);
    if (type === 'LoadBalancer') out.push({ kind: 'load-balancer', object: service });
    else if (type === 'NodePort') out.push({ kind: 'node-port', object: service });
    out.push(...this.scrapersOf(service, port, pod));
    for (const caller of this.callersByName.get(`${ns}\0${name}`) ?? []) if (caller !== pod?.self) out.push({ kind: 'caller', object: caller });
    return out;
  }

  private scrapersOf(service: KubeObject, port: ServicePort, pod: PodSide | undefined): Consumer[] {
    const out: Consumer[] = [];
    const names = [port.name, typeof port.targetPort === 'string' ? port.targetPort : undefined, pod?.containerPortName];
    if (names.some(isMetricsPortName)) out.push({ kind: 'scrape', object: service, scrape: 'port-name' });
    if (isMetricsServiceName(nameOf(service))) out.push({ kind: 'scrape', object: service, scrape: 'service-name' });
    const numbers = [port.port, typeof port.targetPort === 'number' ? port.targetPort : undefined, pod?.containerPort].filter((n) => n !== undefined);
    const annotated = (a: unknown) => a !== undefined && numbers.includes(Number(a));
    if (annotated(service.metadata?.annotations?.['prometheus.io/port'])) out.push({ kind: 'scrape', object: service, scrape: 'prometheus.io/port' });
    else if (pod && annotated(pod.annotations['prometheus.io/port'])) out.push({ kind: 'scrape', object: service, scrape: 'prometheus.io/port' });
    for (const sm of this.serviceMonitors) {
      if (!monitorSelects(sm, service, service.metadata?.labels ?? {})) continue;
      const endpoints = isRecord(sm.spec) && Array.isArray(sm.spec.endpoints) ? sm.spec.endpoints.filter(isRecord) : [];
      if (endpoints.some((e) => (e.port !== undefined && e.port === port.name) || (e.targetPort !== undefined && e.targetPort === port.targetPort)))
        out.push({ kind: 'scrape', object: sm, scrape: 'ServiceMonitor' });
    }
    if (pod) {
      for (const pm of this.podMonitors) {
        if (!monitorSelects(pm, service, pod.labels)) continue;
        const endpoints = isRecord(pm.spec) && Array.isArray(pm.spec.podMetricsEndpoints) ? pm.spec.podMetricsEndpoints.filter(isRecord) : [];
        const hit = endpoints.some(
          (e) =>
            (e.port !== undefined && e.port === pod.containerPortName) ||
            (e.portNumber !== undefined && e.portNumber === pod.containerPort) ||
            (e.targetPort !== undefined && (e.targetPort === pod.containerPort || e.targetPort === pod.containerPortName)),
        );
        if (hit) out.push({ kind: 'scrape', object: pm, scrape: 'PodMonitor' });
      }
    }
    return out;
  }
}

/**
 * A ServiceMonitor or PodMonitor selects by `spec.selector` in the namespaces of
 * `spec.namespaceSelector` (`any`, `matchNames`), its own namespace by default
 * (https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.NamespaceSelector).
 */
function monitorSelects(monitor: KubeObject, target: KubeObject, labels: Record<string, string>): boolean {
  const spec = isRecord(monitor.spec) ? monitor.spec : {};
  const nsSel = isRecord(spec.namespaceSelector) ? spec.namespaceSelector : {};
  const targetNs = namespaceOf(target);
  const inScope =
    nsSel.any === true ||
    (Array.isArray(nsSel.matchNames) ? nsSel.matchNames.includes(targetNs) || writtenNamespace(target) === undefined : namespaceOf(monitor) === targetNs);
  if (!inScope || !isRecord(spec.selector)) return false;
  const sel = spec.selector as LabelSelector;
  // An empty selector selects everything in scope.
  if (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) return true;
  return selectorMatches(sel, labels);
}

/** What the port carries and the consumer that decided it. */
export interface PortVerdict {
  traffic: PortTraffic;
  decidedBy: Consumer | undefined;
}

/**
 * Who decides, strongest first: a consumer that names this very port for users (Ingress, route,
 * APIService); a metrics name; the Service type; admission webhooks (Fail: writes are rejected
 * while the pod is down; Ignore: nothing fails); a scrape designation on a port set apart for it
 * (`dedicated`: the Service is headless or has other ports it does not cover); a caller in the
 * input; else the callers of a ClusterIP Service are elsewhere, and the port is assumed to carry
 * user traffic.
 */
export function portVerdict(service: KubeObject, consumers: readonly Consumer[], dedicated: boolean): PortVerdict {
  const first = (pred: (c: Consumer) => boolean) => consumers.find(pred);
  const routed = first((c) => c.kind === 'ingress' || c.kind === 'gateway-route' || c.kind === 'aggregated-api');
  if (routed) return { traffic: 'user', decidedBy: routed };
  const named = first((c) => c.kind === 'scrape' && (c.scrape === 'port-name' || c.scrape === 'service-name'));
  if (named) return { traffic: 'metrics', decidedBy: named };
  const external = first((c) => c.kind === 'load-balancer' || c.kind === 'node-port');
  if (external) return { traffic: 'user', decidedBy: external };
  const webhooks = consumers.filter((c) => c.kind === 'admission-webhook');
  if (webhooks.length > 0) {
    const failing = webhooks.find((c) => c.webhook?.failurePolicy === 'Fail');
    return failing ? { traffic: 'admission', decidedBy: failing } : { traffic: 'none', decidedBy: webhooks[0] };
  }
  const scraped = first((c) => c.kind === 'scrape');
  if (scraped && dedicated) return { traffic: 'metrics', decidedBy: scraped };
  const caller = first((c) => c.kind === 'caller');
  if (caller) return { traffic: 'user', decidedBy: caller };
  return { traffic: 'user', decidedBy: { kind: 'cluster-ip', object: service } };
}

/** Ports of the Service other than this one, for `dedicated`. */
export function otherPortsOf(service: KubeObject, port: ServicePort): ServicePort[] {
  return servicePortsOf(service).filter((p) => p.index !== port.index);
}
