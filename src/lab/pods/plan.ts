import type { LifecycleHandler } from '../../k8s/objects.js';
import type { ResolvedProbe } from '../../k8s/probes.js';

/** A container as the lab runs it: the manifest's container plus the command its image maps to. */
export interface ContainerPlan {
  name: string;
  image: string;
  argv: string[];
  /** The manifest's `env` (the lab adds PORT, POD_NAME, POD_IP and PORT_<containerPort>). */
  env: Record<string, string>;
  /** `lifecycle.stopSignal`, else the lab mapping's signal, else SIGTERM (docs/reference/pod-termination.md#stop-container). */
  stopSignal: NodeJS.Signals;
  /** Declared containerPorts, first one is the container's `PORT`. */
  ports: Array<{ containerPort: number; name?: string }>;
  readiness?: ResolvedProbe;
  liveness?: ResolvedProbe;
  startup?: ResolvedProbe;
  preStop?: LifecycleHandler;
}

/** The pod template of one revision, resolved and validated before anything starts. */
export interface PodPlan {
  /** Revision label (ReplicaSet), e.g. `rev1`. */
  revision: string;
  containers: ContainerPlan[];
  /** Native sidecars: initContainers with restartPolicy Always, in definition order (docs/reference/feature-versions.md#native-sidecars). */
  sidecars: ContainerPlan[];
  /** spec.terminationGracePeriodSeconds (API default 30, docs/reference/pod-termination.md#grace-period). */
  graceSeconds: number;
  /** The container port the Service targets (host-mapped per pod). */
  servicePort: number;
  /**
   * The container port that receives the pod's inbound traffic when it is not the Service's
   * target port: a mesh proxy's inbound port, to which the mesh redirects every connection.
   */
  inboundPort?: number;
  cwd?: string;
  /** true: each container is PID 1 of its own PID namespace; false: never; unset: where available. */
  pidNamespace?: boolean;
  /** `shareProcessNamespace: true`: one namespace for the pod with pause as PID 1, so no container is. */
  shareProcessNamespace?: boolean;
}
