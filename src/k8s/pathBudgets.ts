/**
 * The traffic paths a request can take to a pod, one row each: who stops sending to a pod that
 * is terminating, how long that takes by default, whether connections stay pinned to the pod,
 * and what the pod must have for that path (docs/reference/traffic-paths.md#path-budgets).
 *
 * One table, read by the audit's drain rules (a pod's preStop must outlast the slowest path that
 * reaches it) and by the lab's consumer profiles (which remove a pod after the same time), so the
 * two can never disagree. A budget is the default; an annotation on the Service or Ingress
 * (`zerodrop.dev/removal-seconds`) or `.zerodrop.yaml` overrides it per path.
 */

export type PathKind =
  /** A ClusterIP or NodePort Service: kube-proxy on every node rewrites its rules. */
  | 'kube-proxy'
  /** ingress-nginx: the controller's endpoint sync, rate limited. */
  | 'ingress-nginx'
  /** Another in-cluster ingress controller or Gateway implementation (Traefik, Contour, HAProxy, Envoy Gateway, unknown class). */
  | 'ingress-controller'
  /** AWS Application Load Balancer with IP targets: the controller deregisters the pod's IP from the target group. */
  | 'aws-alb-ip'
  /** AWS Network Load Balancer with IP targets: deregistration takes effect minutes late. */
  | 'aws-nlb-ip'
  /** A cloud load balancer with node (instance) targets and `externalTrafficPolicy: Cluster`: kube-proxy on the node removes the pod. */
  | 'cloud-lb-nodes'
  /** A cloud load balancer in front of `externalTrafficPolicy: Local`: the node is removed when its health check fails. */
  | 'node-local'
  /** GKE container-native load balancing: the pod's IP is detached from its network endpoint group. */
  | 'gke-neg'
  /** Azure Application Gateway Ingress Controller: the backend pool is rewritten through the Azure API. */
  | 'azure-agic'
  /** A service mesh's client-side proxies (Istio, Linkerd): the control plane pushes the new endpoints. */
  | 'mesh';

/** The in-cluster propagation assumption (`--propagation-seconds`) rather than a number of its own. */
export const PROPAGATION = 'propagation' as const;

export interface PathBudget {
  kind: PathKind;
  /** The name messages use. */
  label: string;
  /** Who stops sending new requests to a terminating pod, and how. */
  removedBy: string;
  /**
   * Seconds from the pod's deletion until this path sends it no new request, by default;
   * `propagation` for paths that follow the in-cluster assumption (`--propagation-seconds`).
   */
  removalSeconds: number | typeof PROPAGATION;
  /** How the default is made up, for `--explain-paths` and rule pages. */
  basis: string;
  /** Whether a client's connection stays on one pod across requests (L4 forwarding, keep-alive through it). */
  pinsConnections: boolean;
  /** A pod readiness gate this path needs so a rollout waits for the load balancer (condition type prefix). */
  readinessGate?: string;
  /** Upstream sources of the default. */
  sources: readonly string[];
}

export const PATH_BUDGETS: Readonly<Record<PathKind, PathBudget>> = {
  'kube-proxy': {
    kind: 'kube-proxy',
    label: 'kube-proxy (ClusterIP/NodePort)',
    removedBy: 'kube-proxy on each node, after the EndpointSlice marks the pod terminating',
    removalSeconds: PROPAGATION,
    basis: 'EndpointSlice update plus each node’s rule sync: about a second, seconds on large clusters',
    pinsConnections: true,
    sources: ['https://kubernetes.io/docs/reference/networking/virtual-ips/'],
  },
  'ingress-nginx': {
    kind: 'ingress-nginx',
    label: 'ingress-nginx',
    removedBy: 'the controller, which rewrites its upstream list from EndpointSlices',
    removalSeconds: PROPAGATION,
    basis: 'endpoint sync rate-limited to 0.3/s by default (--sync-rate-limit): at least 3.3 s',
    pinsConnections: false,
    sources: ['https://kubernetes.github.io/ingress-nginx/user-guide/cli-arguments/'],
  },
  'ingress-controller': {
    kind: 'ingress-controller',
    label: 'in-cluster ingress or gateway',
    removedBy: 'the controller, from EndpointSlices',
    removalSeconds: PROPAGATION,
    basis: 'an EndpointSlice watch and a configuration push: seconds',
    pinsConnections: false,
    sources: ['https://kubernetes.io/docs/concepts/services-networking/ingress-controllers/'],
  },
  'aws-alb-ip': {
    kind: 'aws-alb-ip',
    label: 'AWS ALB (IP targets)',
    removedBy: 'the AWS Load Balancer Controller, which deregisters the pod IP; the ALB then stops routing to it',
    removalSeconds: 30,
    basis: 'controller reconcile plus the target entering draining; practitioners measure 10–30 s',
    pinsConnections: false,
    readinessGate: 'target-health.elbv2.k8s.aws',
    sources: [
      'https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/',
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay',
    ],
  },
  'aws-nlb-ip': {
    kind: 'aws-nlb-ip',
    label: 'AWS NLB (IP targets)',
    removedBy: 'the AWS Load Balancer Controller, which deregisters the pod IP; the NLB keeps sending new connections for about two minutes',
    removalSeconds: 120,
    basis: 'measured by users and acknowledged upstream: new connections arrive for ~120 s after deregistration, whatever the delay setting',
    pinsConnections: true,
    readinessGate: 'target-health.elbv2.k8s.aws',
    sources: ['https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2366', 'https://github.com/aws/containers-roadmap/issues/470'],
  },
  'cloud-lb-nodes': {
    kind: 'cloud-lb-nodes',
    label: 'cloud load balancer (node targets)',
    removedBy: 'kube-proxy on the node the load balancer picked (the node stays a target)',
    removalSeconds: PROPAGATION,
    basis: 'the pod leaves kube-proxy’s rules; the load balancer itself never sees the pod',
    pinsConnections: true,
    sources: ['https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer'],
  },
  'node-local': {
    kind: 'node-local',
    label: 'load balancer with externalTrafficPolicy: Local',
    removedBy: 'the load balancer, once the node’s health check (healthCheckNodePort) fails for the unhealthy threshold',
    removalSeconds: 30,
    basis: 'health-check interval × unhealthy threshold: 10 s × 3 with the AWS Load Balancer Controller’s defaults',
    pinsConnections: true,
    sources: [
      'https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip',
      'https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/',
    ],
  },
  'gke-neg': {
    kind: 'gke-neg',
    label: 'GKE NEG (container-native load balancing)',
    removedBy: 'the NEG controller, which detaches the pod IP; the load balancer’s health check may notice first',
    removalSeconds: 10,
    basis: 'health-check interval × unhealthy threshold: 5 s × 2 by default (a BackendConfig healthCheck overrides)',
    pinsConnections: false,
    readinessGate: 'cloud.google.com/load-balancer-neg-ready',
    sources: [
      'https://cloud.google.com/kubernetes-engine/docs/concepts/container-native-load-balancing',
      'https://cloud.google.com/load-balancing/docs/enabling-connection-draining',
    ],
  },
  'azure-agic': {
    kind: 'azure-agic',
    label: 'Azure Application Gateway (AGIC)',
    removedBy: 'AGIC, which rewrites the Application Gateway backend pool through the Azure API',
    removalSeconds: 90,
    basis: 'the vendor’s documented minimum preStop for rolling updates',
    pinsConnections: false,
    sources: ['https://azure.github.io/application-gateway-kubernetes-ingress/how-tos/minimize-downtime-during-deployments/'],
  },
  mesh: {
    kind: 'mesh',
    label: 'service mesh client proxies',
    removedBy: 'the mesh control plane, which pushes the endpoint change to every client proxy',
    removalSeconds: PROPAGATION,
    basis: 'an EndpointSlice watch and a push to the proxies: about a second',
    pinsConnections: false,
    sources: ['https://istio.io/latest/docs/ops/deployment/architecture/', 'https://linkerd.io/2/reference/architecture/'],
  },
};

/** The default removal time of a path in seconds, with the in-cluster assumption filled in. */
export function defaultRemovalSeconds(kind: PathKind, propagationSeconds: number): number {
  const s = PATH_BUDGETS[kind].removalSeconds;
  return s === PROPAGATION ? propagationSeconds : s;
}

/** The annotation that overrides a path's removal time, on the Service or Ingress that makes the path. */
export const REMOVAL_SECONDS_ANNOTATION = 'zerodrop.dev/removal-seconds';
