import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (works from src/ under vitest and from dist/ when installed). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const EXAMPLES_DIR = path.join(PACKAGE_ROOT, 'examples');

export type Requirement = 'graceful' | 'nginx';

export interface ScenarioRun {
  /** Lab file, relative to examples/. */
  labFile: string;
  /** What the run must show: `fail` = it drops requests, `pass` = zero drops. */
  expect: 'fail' | 'pass';
  requires?: Requirement;
}

export interface Scenario {
  name: string;
  description: string;
  /**
   * Whether the cause of the drops can be seen in the manifests alone, so the audit must agree
   * with the lab (audit errors ⇔ drops). False when it depends on the client or the app's code.
   */
  causeVisibleInManifests: boolean;
  runs: ScenarioRun[];
}

/** The default: the talk's progression, replayed on the bundled demo app. */
export const TALK: Scenario = {
  name: 'talk',
  description:
    'The talk replayed: 4 replicas of the demo app behind an ingress-like proxy; baseline and probes drop requests, probes-prestop and in-app drop none.',
  causeVisibleInManifests: true,
  runs: [
    { labFile: 'talk/baseline.lab.yaml', expect: 'fail' },
    { labFile: 'talk/probes.lab.yaml', expect: 'fail' },
    { labFile: 'talk/probes-prestop.lab.yaml', expect: 'pass' },
    { labFile: 'talk/in-app.lab.yaml', expect: 'pass', requires: 'graceful' },
  ],
};

export const SCENARIOS: readonly Scenario[] = [
  TALK,
  {
    name: 'max-unavailable-single-replica',
    description:
      'One replica with maxSurge 0 and maxUnavailable 1 (the old extensions/v1beta1 default, https://github.com/kubernetes/kubernetes/pull/39683): the only pod goes before its replacement is ready, an outage even with probes and preStop; surge-first fixes it.',
    causeVisibleInManifests: true,
    runs: [
      { labFile: 'scenarios/max-unavailable-single-replica/unavailable-1.lab.yaml', expect: 'fail' },
      { labFile: 'scenarios/max-unavailable-single-replica/surge-1.lab.yaml', expect: 'pass' },
    ],
  },
  {
    name: 'sidecar-race',
    description:
      'The app reaches its database through a sidecar proxy that exits on SIGTERM. As a classic sidecar it is signalled at once while the app still serves in its preStop (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination); as a native sidecar it stops after the app (https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/).',
    causeVisibleInManifests: true,
    runs: [
      { labFile: 'scenarios/sidecar-race/classic-sidecar.lab.yaml', expect: 'fail' },
      { labFile: 'scenarios/sidecar-race/native-sidecar.lab.yaml', expect: 'pass' },
    ],
  },
  {
    name: 'keepalive-race',
    description:
      "The app's keep-alive timeout (200 ms) is shorter than the proxy's upstream idle timeout (60 s, like ingress-nginx): the proxy reuses connections the app is closing and answers 502 (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout). The timeout lives in the app's code, not in the manifests.",
    causeVisibleInManifests: false,
    runs: [
      { labFile: 'scenarios/keepalive-race/short-keepalive.lab.yaml', expect: 'fail' },
      { labFile: 'scenarios/keepalive-race/long-keepalive.lab.yaml', expect: 'pass' },
    ],
  },
  {
    name: 'keepalive-l4',
    description:
      "Keep-alive clients through the kube-proxy-like L4 proxy: connections stay pinned to the old pod (https://github.com/kubernetes/kubernetes/issues/101607), so a preStop sleep alone still drops requests when the app exits without draining; zerodrop's in-app library drops none. Its cause is client behaviour and app code, not visible in the manifests.",
    causeVisibleInManifests: false,
    runs: [
      { labFile: 'scenarios/keepalive-l4/exit-on-sigterm.lab.yaml', expect: 'fail' },
      { labFile: 'scenarios/keepalive-l4/in-app.lab.yaml', expect: 'pass', requires: 'graceful' },
    ],
  },
  {
    name: 'late-propagation',
    description:
      "zerodrop's in-app drain when the ingress learns of each pod's removal 2 s after its SIGTERM, later than the app's 1 s drain delay: the fixed delay stops listening while requests still arrive; the adaptive drain serves until they stop. The propagation time belongs to the cluster and is not visible in the manifests.",
    causeVisibleInManifests: false,
    runs: [
      { labFile: 'scenarios/late-propagation/fixed-delay.lab.yaml', expect: 'fail', requires: 'graceful' },
      { labFile: 'scenarios/late-propagation/adaptive.lab.yaml', expect: 'pass', requires: 'graceful' },
    ],
  },
  {
    name: 'nginx-stopsignal',
    description:
      'Real nginx (/usr/sbin/nginx) per pod serving slow downloads: SIGTERM (images before 1.19.5) is a fast shutdown that cuts in-flight requests; SIGQUIT (1.19.5+) finishes them (https://nginx.org/en/docs/control.html).',
    causeVisibleInManifests: true,
    runs: [
      { labFile: 'scenarios/nginx-stopsignal/sigterm.lab.yaml', expect: 'fail', requires: 'nginx' },
      { labFile: 'scenarios/nginx-stopsignal/sigquit.lab.yaml', expect: 'pass', requires: 'nginx' },
    ],
  },
  {
    name: 'unicorn-stopsignal',
    description:
      "A Rails storefront on unicorn (the lab reads the Dockerfile's CMD and runs its unicorn stand-in, a master with workers) serving slow requests: without STOPSIGNAL the runtime sends SIGTERM, unicorn's quick shutdown, which kills the workers mid-request; STOPSIGNAL SIGQUIT is its graceful shutdown, the workers finish first (https://yhbt.net/unicorn/SIGNALS.html).",
    causeVisibleInManifests: true,
    runs: [
      { labFile: 'scenarios/unicorn-stopsignal/sigterm.lab.yaml', expect: 'fail' },
      { labFile: 'scenarios/unicorn-stopsignal/sigquit.lab.yaml', expect: 'pass' },
    ],
  },
  {
    name: 'alb-ip-targets',
    description:
      'An AWS ALB with IP targets sends straight to the pods and deregisters a deleted pod 8 s late (zerodrop.dev/removal-seconds on the Ingress, docs/reference/traffic-paths.md#path-budgets): a 4 s preStop, plenty for kube-proxy, lets the pod exit while the ALB still sends to it; a 10 s preStop outlasts the deregistration.',
    causeVisibleInManifests: true,
    runs: [
      { labFile: 'scenarios/alb-ip-targets/prestop-4s.lab.yaml', expect: 'fail' },
      { labFile: 'scenarios/alb-ip-targets/prestop-10s.lab.yaml', expect: 'pass' },
    ],
  },
  {
    name: 'node-local',
    description:
      "A LoadBalancer Service with externalTrafficPolicy: Local, one pod per node: the node's health check fails as soon as its only pod is terminating, but the load balancer takes the node out only after 3 failed checks 2 s apart, and drops its connections once the pod has exited (https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/1669-proxy-terminating-endpoints); a preStop that outlasts the checks fixes it.",
    causeVisibleInManifests: true,
    runs: [
      { labFile: 'scenarios/node-local/prestop-2s.lab.yaml', expect: 'fail' },
      { labFile: 'scenarios/node-local/prestop-9s.lab.yaml', expect: 'pass' },
    ],
  },
  {
    name: 'linkerd-proxy-shutdown',
    description:
      "Pods meshed by Linkerd (linkerd.io/inject: enabled): the injected proxy refuses new requests on SIGTERM, which it gets at once while the app's preStop still waits for the clients (https://linkerd.io/2/tasks/graceful-shutdown/); config.alpha.linkerd.io/proxy-wait-before-exit-seconds longer than the app's preStop fixes it.",
    causeVisibleInManifests: true,
    runs: [
      { labFile: 'scenarios/linkerd-proxy-shutdown/no-wait.lab.yaml', expect: 'fail' },
      { labFile: 'scenarios/linkerd-proxy-shutdown/wait-7s.lab.yaml', expect: 'pass' },
    ],
  },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

export function labFilePath(run: ScenarioRun): string {
  return path.join(EXAMPLES_DIR, run.labFile);
}

/** The run's name: the lab file's base name without `.lab.yaml`. */
export function runName(run: ScenarioRun): string {
  return path.basename(run.labFile).replace(/\.lab\.ya?ml$/, '');
}

/** Why a run cannot happen here, or undefined when it can. */
export function missingRequirement(run: ScenarioRun, nginxAvailable: boolean): string | undefined {
  if (run.requires === 'graceful' && !existsSync(path.join(PACKAGE_ROOT, 'dist', 'graceful', 'index.js')))
    return "not yet available: needs zerodrop's in-app graceful library (src/graceful)";
  if (run.requires === 'nginx' && !nginxAvailable) return 'skipped: nginx is not installed (apt-get install nginx)';
  return undefined;
}
