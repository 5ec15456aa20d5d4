/**
 * A Service's ports as the EndpointSlice controller reads them, and which container of a pod each
 * port reaches. `FindPort` (k8s.io/kubernetes `pkg/api/v1/pod/util.go`) uses a numeric targetPort
 * as it is and looks a named one up among the regular containers' ports, then the native
 * sidecars', by name and protocol; a pod that declares no such name gets no endpoint for that
 * port (docs/reference/service-consumers.md#target-ports).
 */
import { isNativeSidecar, type Container, type KubeObject, type PodSpec } from './objects.js';

export interface ServicePort {
  /** Position in spec.ports, for paths. */
  index: number;
  name: string | undefined;
  port: number | undefined;
  /** As written, else `port` (the API default). */
  targetPort: number | string | undefined;
  /** TCP unless written. */
  protocol: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function servicePortsOf(service: KubeObject): ServicePort[] {
  const ports = isRecord(service.spec) && Array.isArray(service.spec.ports) ? service.spec.ports : [];
  return ports.flatMap((p, index): ServicePort[] => {
    if (!isRecord(p)) return [];
    const port = typeof p.port === 'number' ? p.port : undefined;
    const target = typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? p.targetPort : port;
    return [
      { index, name: typeof p.name === 'string' ? p.name : undefined, port, targetPort: target, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' },
    ];
  });
}

/** `spec.type`, ClusterIP unless written. */
export function serviceTypeOf(service: KubeObject): string {
  const t = isRecord(service.spec) ? service.spec.type : undefined;
  return typeof t === 'string' ? t : 'ClusterIP';
}

/** A headless Service (`clusterIP: None`) has no virtual IP: clients resolve the pods' addresses through DNS. */
export function isHeadless(service: KubeObject): boolean {
  return isRecord(service.spec) && service.spec.clusterIP === 'None';
}

/** `spec.selector` as a label map; undefined when it has none (endpoints are managed by hand). */
export function serviceSelectorOf(service: KubeObject): Record<string, string> | undefined {
  const s = isRecord(service.spec) ? service.spec.selector : undefined;
  return isRecord(s) && Object.keys(s).length > 0 ? (s as Record<string, string>) : undefined;
}

/** `port 80 (http)`, or `port http` when only a name is written, for messages. */
export function describeServicePort(port: ServicePort): string {
  if (port.port === undefined) return `port ${port.name ?? `#${port.index + 1}`}`;
  return port.name ? `port ${port.port} (${port.name})` : `port ${port.port}`;
}

type ContainerPort = NonNullable<Container['ports']>[number];

/** A container's declared ports that are objects (hand-written manifests carry other shapes). */
export function containerPortsOf(container: Container): ContainerPort[] {
  return Array.isArray(container.ports) ? container.ports.filter(isRecord) : [];
}

/**
 * The pod's regular containers that are objects: a custom resource's pod template (an Argo
 * Rollout, a DeploymentConfig) is not shape-checked, so its list may hold anything.
 */
export function regularContainersOf(spec: PodSpec): Container[] {
  return Array.isArray(spec.containers) ? (spec.containers.filter(isRecord) as Container[]) : [];
}

/** The containers `FindPort` searches, in its order: regular containers, then native sidecars. */
export function portOwnersOf(spec: PodSpec): Container[] {
  const mains = regularContainersOf(spec);
  const sidecars = Array.isArray(spec.initContainers) ? spec.initContainers.filter((c) => isRecord(c) && isNativeSidecar(c)) : [];
  return [...mains, ...sidecars] as Container[];
}

export interface PortTarget {
  /** The container that declares the port, when one does. */
  container: Container | undefined;
  /** The container port number traffic goes to, when known. */
  containerPort: number | undefined;
  /** The container port's name, when the declaring container names it. */
  containerPortName: string | undefined;
}

/**
 * Where a Service port's traffic lands in a pod of this spec, or undefined when the pod gets no
 * endpoint for it (a named targetPort that no container declares with that protocol).
 */
export function resolveTargetPort(spec: PodSpec, port: ServicePort): PortTarget | undefined {
  const owners = portOwnersOf(spec);
  const sameProtocol = (p: ContainerPort) => (p.protocol ?? 'TCP') === port.protocol;
  if (typeof port.targetPort === 'string') {
    for (const c of owners) {
      const p = containerPortsOf(c).find((cp) => cp.name === port.targetPort && sameProtocol(cp));
      if (p) return { container: c, containerPort: typeof p.containerPort === 'number' ? p.containerPort : undefined, containerPortName: p.name };
    }
    return undefined;
  }
  const number = port.targetPort;
  for (const c of owners) {
    const p = containerPortsOf(c).find((cp) => cp.containerPort === number && sameProtocol(cp));
    if (p) return { container: c, containerPort: number, containerPortName: typeof p.name === 'string' ? p.name : undefined };
  }
  return { container: undefined, containerPort: number, containerPortName: undefined };
}
