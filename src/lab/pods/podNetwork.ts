import type { ContainerPlan, PodPlan } from './plan.js';
import { freePort } from './ports.js';
import type { ContainerEndpoint } from './probe.js';

/**
 * The pod's "network namespace": all containers share it, so each declared containerPort maps to
 * one host port, exported as PORT_<containerPort> to every container of the pod. Probes and hooks
 * reach a container through the same map (named ports included).
 */
export class PodNetwork {
  readonly host: string;
  private portMap = new Map<number, number>();
  private namedPorts = new Map<string, number>();

  constructor(
    private readonly podName: string,
    private readonly plan: PodPlan,
    host = '127.0.0.1',
  ) {
    this.host = host;
  }

  /** Gives every declared containerPort, and the Service's target port, a free host port. */
  async allocate(): Promise<void> {
    const plan = this.plan;
    for (const c of [...plan.sidecars, ...plan.containers]) {
      for (const p of c.ports) {
        if (!this.portMap.has(p.containerPort)) this.portMap.set(p.containerPort, await freePort(this.host));
        if (p.name) this.namedPorts.set(p.name, p.containerPort);
      }
    }
    if (!this.portMap.has(plan.servicePort)) this.portMap.set(plan.servicePort, await freePort(this.host));
  }

  /** Host port of the Service's target port: where the endpoints controller points consumers. */
  get servicePort(): number {
    return this.portMap.get(this.plan.servicePort) ?? 0;
  }

  hostPortOf(containerPort: number): number | undefined {
    return this.portMap.get(containerPort);
  }

  /** The environment every container gets: its own PORT plus the pod's port map. */
  envFor(c: ContainerPlan): Record<string, string> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
    for (const [containerPort, hostPort] of this.portMap) env[`PORT_${containerPort}`] = String(hostPort);
    env.POD_NAME = this.podName;
    env.POD_IP = this.host;
    // Kubernetes expands $(VAR) in env values from variables defined before; the lab's port map
    // counts as defined, so `http://127.0.0.1:$(PORT_5432)` reaches a sidecar's port.
    for (const [k, v] of Object.entries(c.env)) env[k] = expandEnvReferences(v, env);
    // A container's PORT is its first declared port; the first main container without ports
    // serves the Service's target port.
    const own = c.ports[0]?.containerPort ?? (c === this.plan.containers[0] ? this.plan.servicePort : undefined);
    const hostPort = own === undefined ? undefined : this.portMap.get(own);
    if (hostPort !== undefined) env.PORT = String(hostPort);
    return env;
  }

  endpointFor(c: ContainerPlan): ContainerEndpoint {
    const endpoint: ContainerEndpoint = {
      host: this.host,
      env: this.envFor(c),
      resolvePort: (port) => {
        const containerPort = typeof port === 'number' ? port : /^\d+$/.test(port) ? Number(port) : this.namedPorts.get(port);
        return containerPort === undefined ? undefined : this.portMap.get(containerPort);
      },
    };
    if (this.plan.cwd) endpoint.cwd = this.plan.cwd;
    return endpoint;
  }
}

/** `$(VAR)` expansion as the kubelet does it: known names are replaced, `$$(VAR)` escapes, unknown stay literal. */
export function expandEnvReferences(value: string, env: Readonly<Record<string, string>>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && env[name] !== undefined ? env[name]! : m;
  });
}
