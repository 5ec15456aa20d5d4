import { resolveProbe, type Probe, type ProbeHandler, type ProbeKind, type ResolvedProbe } from '../../../k8s/probes.js';
import type { Container } from '../../../k8s/objects.js';
import type { ContainerView, YamlPath } from '../../types.js';
import { portsOf, strings } from './fields.js';

export type ProbeField = 'readinessProbe' | 'livenessProbe' | 'startupProbe';

export const PROBE_FIELDS: ReadonlyArray<{ kind: ProbeKind; field: ProbeField }> = [
  { kind: 'readiness', field: 'readinessProbe' },
  { kind: 'liveness', field: 'livenessProbe' },
  { kind: 'startup', field: 'startupProbe' },
];

export function probeOf(c: ContainerView, field: ProbeField): Probe | undefined {
  const p = c.container[field];
  return p && typeof p === 'object' ? p : undefined;
}

export function resolvedProbe(c: ContainerView, field: ProbeField): ResolvedProbe | undefined {
  const p = probeOf(c, field);
  return p ? resolveProbe(p) : undefined;
}

/** The port a probe handler targets and the path of that node, or undefined for exec probes. */
export function probePort(handler: ProbeHandler): { port: number | string; via: 'httpGet' | 'tcpSocket' | 'grpc' } | undefined {
  if (handler.httpGet && handler.httpGet.port !== undefined) return { port: handler.httpGet.port, via: 'httpGet' };
  if (handler.tcpSocket && handler.tcpSocket.port !== undefined) return { port: handler.tcpSocket.port, via: 'tcpSocket' };
  if (handler.grpc && handler.grpc.port !== undefined) return { port: handler.grpc.port, via: 'grpc' };
  return undefined;
}

/** The kubelet resolves a named probe port among the container's own ports only. */
export function namedPortNumber(container: Container, name: string): number | undefined {
  return portsOf(container).find((p) => p.name === name)?.containerPort;
}

/** A handler with named ports replaced by numbers, so `port: http` and `port: 8080` compare equal (kube-score defect, docs/reference/linters.md#known-defects). */
export function withNumericPorts(handler: ProbeHandler, container: Container): ProbeHandler {
  const resolve = (port: number | string) => (typeof port === 'string' ? (namedPortNumber(container, port) ?? port) : port);
  const out: ProbeHandler = { ...handler };
  if (handler.httpGet) out.httpGet = { ...handler.httpGet, port: resolve(handler.httpGet.port) };
  if (handler.tcpSocket) out.tcpSocket = { ...handler.tcpSocket, port: resolve(handler.tcpSocket.port) };
  return out;
}

export function describeHandler(handler: ProbeHandler): string {
  if (handler.httpGet) return `httpGet ${handler.httpGet.path ?? '/'} on port ${handler.httpGet.port}`;
  if (handler.tcpSocket) return `tcpSocket on port ${handler.tcpSocket.port}`;
  if (handler.grpc) return `grpc on port ${handler.grpc.port}`;
  if (handler.exec) return `exec ${strings(handler.exec.command).join(' ')}`;
  return 'no handler';
}

/** Path of a probe field, or of the probe itself when the field is unset (nearest parent). */
export function probeFieldPath(c: ContainerView, field: string, key: keyof Probe): YamlPath {
  const probe = (c.container as Record<string, unknown>)[field] as Record<string, unknown> | undefined;
  return probe && probe[key] !== undefined ? [...c.path, field, key] : [...c.path, field];
}
