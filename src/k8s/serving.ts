/**
 * Whether a workload's pods serve, and through what: every port of the Services that select them,
 * with its consumers and what it carries (`serviceConsumers.ts`), the port whose consumer makes
 * the workload serving, and the containers that listen for that traffic
 * (docs/reference/service-consumers.md).
 */
import { isProxyContainer } from './containerRoles.js';
import type { Container, KubeObject, PodSpec } from './objects.js';
import { isMetricsPortName } from './scrapeSignals.js';
import { otherPortsOf, portVerdict, type Consumer, type ConsumerIndex, type ConsumerKind, type PortVerdict } from './serviceConsumers.js';
import {
  containerPortsOf,
  describeServicePort,
  isHeadless,
  regularContainersOf,
  resolveTargetPort,
  servicePortsOf,
  type PortTarget,
  type ServicePort,
} from './servicePorts.js';

export interface ServingPort extends PortVerdict {
  service: KubeObject;
  port: ServicePort;
  /** Where the port lands in these pods. */
  target: PortTarget;
  consumers: Consumer[];
}

/** The pods judged: the workload object, its pod template's labels and annotations, its pod spec. */
export interface PodsOf {
  workload: KubeObject;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: PodSpec;
}

export interface Serving {
  /** Every port of the selecting Services that gives these pods an endpoint. */
  ports: ServingPort[];
  /** The port, with its deciding consumer, that makes the workload serving; undefined when none does. */
  servedBy: ServingPort | undefined;
}

/** Which consumer names the workload as serving when several do: the one whose path is most visible. */
const RANK: readonly ConsumerKind[] = ['ingress', 'gateway-route', 'load-balancer', 'node-port', 'aggregated-api', 'caller', 'admission-webhook', 'cluster-ip'];

export function servingOf(pods: PodsOf, services: readonly KubeObject[], index: ConsumerIndex): Serving {
  const ports: ServingPort[] = [];
  for (const service of services) {
    const all = servicePortsOf(service);
    const consumersOf = (port: ServicePort, target: PortTarget | undefined) =>
      index.consumersOf(service, port, {
        labels: pods.labels,
        annotations: pods.annotations,
        self: pods.workload,
        ...(target?.containerPort !== undefined ? { containerPort: target.containerPort } : {}),
        ...(target?.containerPortName !== undefined ? { containerPortName: target.containerPortName } : {}),
      });
    for (const port of all) {
      const target = resolveTargetPort(pods.spec, port);
      if (!target) continue;
      const consumers = consumersOf(port, target);
      const scraped = (cs: readonly Consumer[]) => cs.some((c) => c.kind === 'scrape');
      const dedicated = isHeadless(service) || otherPortsOf(service, port).some((p) => !scraped(consumersOf(p, resolveTargetPort(pods.spec, p))));
      ports.push({ service, port, target, consumers, ...portVerdict(service, consumers, dedicated) });
    }
  }
  const carrying = ports.filter((p) => p.traffic === 'user' || p.traffic === 'admission');
  const rank = (p: ServingPort) => RANK.indexOf(p.decidedBy?.kind ?? 'cluster-ip');
  const servedBy = [...carrying].sort((a, b) => rank(a) - rank(b))[0];
  return { ports, servedBy };
}

/** Ports that carry requests someone waits for: user traffic and admission calls with failurePolicy Fail. */
export function carryingPorts(serving: Serving): ServingPort[] {
  return serving.ports.filter((p) => p.traffic === 'user' || p.traffic === 'admission');
}

/** A pod serving without any Service in the input: it declares a port that is not a metrics port. */
export function declaresTrafficPorts(spec: PodSpec): boolean {
  return regularContainersOf(spec).some((c) => containerPortsOf(c).some((p) => !isMetricsPortName(p.name)));
}

export interface ServerChoice {
  containers: Container[];
  /** How they were chosen, for messages. */
  how: string;
}

/**
 * The containers that listen for a serving workload's traffic: those its carrying ports reach;
 * else, when the ports name no declared container port, the regular containers that are not
 * known proxies (those that declare ports, if any do), since a proxy beside an app is its
 * sidecar; else, in a pod of proxies only (a gateway), the proxies.
 */
export function chooseServers(spec: PodSpec, ports: readonly ServingPort[]): ServerChoice {
  const targeted = [...new Set(ports.map((p) => p.target.container).filter((c): c is Container => c !== undefined))];
  if (targeted.length > 0) {
    const first = ports.find((p) => p.target.container !== undefined)!;
    return {
      containers: targeted,
      how: `it listens on the target port of Service ${String(first.service.metadata?.name ?? '')} ${describeServicePort(first.port)}`,
    };
  }
  const mains = regularContainersOf(spec);
  const apps = mains.filter((c) => !isProxyContainer(c));
  const withPorts = apps.filter((c) => containerPortsOf(c).some((p) => !isMetricsPortName(p.name)));
  if (withPorts.length > 0) return { containers: withPorts, how: 'it declares container ports and is not a known proxy' };
  if (apps.length > 0)
    return { containers: apps, how: apps.length === 1 ? 'it is the only container that is not a known proxy' : 'none of the containers can be told apart' };
  return { containers: mains, how: 'the pod runs only proxies, so they are the server' };
}

const objectName = (o: KubeObject) => String(o.metadata?.name ?? '');

/** Why the workload is serving, for messages: "served through LoadBalancer Service web port 80". */
export function describeServedBy(p: ServingPort): string {
  const svc = `Service ${objectName(p.service)} ${describeServicePort(p.port)}`;
  const c = p.decidedBy;
  switch (c?.kind) {
    case 'ingress':
      return `served through Ingress ${objectName(c.object)} → ${svc}`;
    case 'gateway-route':
      return `served through ${String(c.object.kind)} ${objectName(c.object)} → ${svc}`;
    case 'load-balancer':
      return `served through LoadBalancer ${svc}`;
    case 'node-port':
      return `served through NodePort ${svc}`;
    case 'aggregated-api':
      return `the API server proxies APIService ${objectName(c.object)} to ${svc}`;
    case 'caller':
      return `${String(c.object.kind)} ${objectName(c.object)} calls ${svc}`;
    case 'admission-webhook':
      return `the API server calls admission webhook ${c.webhook?.name ?? objectName(c.object)} (failurePolicy ${c.webhook?.failurePolicy}${c.webhook?.written ? '' : ', the default'}) at ${svc}`;
    default:
      return isHeadless(p.service)
        ? `served through headless ${svc} (its clients are not in the input)`
        : `served through ClusterIP ${svc} (its callers are not in the input)`;
  }
}

/** Why a workload that Services select is not serving, for messages and JSON. */
export function describeNotServing(serving: Serving): string {
  if (serving.ports.length === 0) return 'the Services that select it give its pods no endpoint (no port reaches a declared container port)';
  const parts = serving.ports.map((p) => {
    const svc = `Service ${objectName(p.service)} ${describeServicePort(p.port)}`;
    const c = p.decidedBy;
    if (p.traffic === 'none' && c?.kind === 'admission-webhook')
      return `${svc} serves admission webhook ${c.webhook?.name ?? ''} with failurePolicy Ignore (the API server skips it while it is down)`;
    if (c?.kind === 'scrape') return `${svc} is only scraped (${scrapeWords(c)})`;
    return `${svc} carries ${p.traffic}`;
  });
  return `not serving: ${parts.join('; ')}`;
}

function scrapeWords(c: Consumer): string {
  switch (c.scrape) {
    case 'port-name':
      return 'a metrics port name';
    case 'service-name':
      return 'a metrics Service name';
    case 'prometheus.io/port':
      return 'prometheus.io/port';
    default:
      return `${c.scrape} ${objectName(c.object)}`;
  }
}
