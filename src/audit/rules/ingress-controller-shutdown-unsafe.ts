import { ingressNginxController, ingressNginxSetting, traefikLifecycle } from '../../k8s/edgeProxies.js';
import { preStopDelaySeconds } from '../../k8s/objects.js';
import type { ContainerView, RuleResult, WorkloadView } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { graceOf, gracePath, preStopOf, preStopPath } from './support/drain.js';
import { edgeProxyContainers, LONG_RUNNING_WORKLOAD_KINDS, objectsOf, workloadViewOf } from './support/edge.js';
import { podSpecPatch } from './support/patches.js';

type Result = RuleResult<'nginxGraceShort' | 'traefikGraceShort' | 'envoyNoDrain', 'raiseNginxGrace' | 'raiseTraefikGrace' | 'addEnvoyDrain'>;

const graceText = (w: WorkloadView) => {
  const g = graceOf(w);
  const written = w.podSpec.terminationGracePeriodSeconds;
  if (!g.explicit) return `terminationGracePeriodSeconds ${g.seconds} (the default)`;
  return written === g.seconds
    ? `terminationGracePeriodSeconds ${g.seconds}`
    : `terminationGracePeriodSeconds ${String(written)} (the kubelet applies ${g.seconds})`;
};

/** "preStop sleeps 10 s, then " when the hook delays the stop signal, else nothing. */
function preStopLead(c: ContainerView): { seconds: number; text: string } {
  const seconds = preStopDelaySeconds(preStopOf(c)) ?? 0;
  return { seconds, text: seconds > 0 ? `the preStop sleeps ${seconds} s, then ` : '' };
}

/**
 * The controller waits --shutdown-grace-period after SIGTERM (or after /wait-shutdown sends it),
 * then runs nginx -s quit, and nginx waits up to worker-shutdown-timeout for open connections
 * (pkg/flags/flags.go, internal/ingress/controller/nginx.go): the grace period must cover both.
 */
function ingressNginx(c: ContainerView, w: WorkloadView, objects: ReturnType<typeof objectsOf>): Result | undefined {
  const controller = ingressNginxController(c.container, w.namespace, objects);
  const wst = ingressNginxSetting(controller, 'ingress-nginx/worker-shutdown-timeout');
  const sgp = controller.shutdownGracePeriod;
  const lead = preStopLead(c);
  const needed = Math.ceil(lead.seconds + sgp.seconds + wst.seconds);
  if (graceOf(w).seconds >= needed) return undefined;
  const fields = { terminationGracePeriodSeconds: needed };
  return {
    path: gracePath(w),
    container: c.name,
    messageId: 'nginxGraceShort',
    data: {
      container: c.name,
      grace: graceText(w),
      preStop: lead.text,
      sgp: sgp.seconds,
      sgpOrigin: sgp.origin,
      wst: wst.seconds,
      wstOrigin: wst.origin,
      needed,
      assumed: wst.assumption ? `; ${wst.assumption}` : '',
    },
    fixId: 'raiseNginxGrace',
    patch: podSpecPatch(w, fields),
  };
}

/**
 * Each entry point keeps accepting for requestAcceptGraceTimeout, then closes its listeners and
 * lets active requests run for graceTimeOut (pkg/server/server_entrypoint_tcp.go); entry points
 * shut down side by side, so the slowest one decides.
 */
function traefik(c: ContainerView, w: WorkloadView, objects: ReturnType<typeof objectsOf>): Result | undefined {
  const lifecycle = traefikLifecycle(c.container, w.podSpec, w.namespace, objects);
  if (!lifecycle) return undefined;
  const lead = preStopLead(c);
  const slowest = lifecycle.entryPoints
    .map((ep) => ({ ep, total: ep.requestAcceptGraceTimeout.seconds + ep.graceTimeOut.seconds }))
    .sort((a, b) => b.total - a.total)[0];
  if (!slowest) return undefined;
  const needed = Math.ceil(lead.seconds + slowest.total);
  if (graceOf(w).seconds >= needed) return undefined;
  return {
    path: gracePath(w),
    container: c.name,
    messageId: 'traefikGraceShort',
    data: {
      container: c.name,
      grace: graceText(w),
      preStop: lead.text,
      entryPoint: slowest.ep.name,
      rag: slowest.ep.requestAcceptGraceTimeout.seconds,
      ragOrigin: slowest.ep.requestAcceptGraceTimeout.origin,
      gto: slowest.ep.graceTimeOut.seconds,
      gtoOrigin: slowest.ep.graceTimeOut.origin,
      needed,
    },
    fixId: 'raiseTraefikGrace',
    patch: podSpecPatch(w, { terminationGracePeriodSeconds: needed }),
  };
}

/** An Envoy admin call that starts a drain: failing the health checks, or draining the listeners. */
const DRAIN_CALL = /healthcheck\/fail|drain_listeners/;

/**
 * Envoy closes its listeners at once on shutdown unless a drain was started first
 * (envoyproxy.io operations/draining). A shutdown manager beside it (Contour's `contour envoy
 * shutdown-manager`, Envoy Gateway's) or a preStop calling the admin drain endpoints is that drain.
 */
function envoy(c: ContainerView, w: WorkloadView): Result | undefined {
  if (w.serving && !w.servers.includes(c)) return undefined;
  const argvs = w.containers.map((x) => [...(x.container.command ?? []), ...(x.container.args ?? [])].map(String));
  if (argvs.some((argv) => argv.includes('shutdown-manager'))) return undefined;
  const hooks = w.containers.map((x) => preStopOf(x)).filter((h) => h !== undefined);
  if (hooks.some((h) => DRAIN_CALL.test(JSON.stringify(h)))) return undefined;
  const own = preStopOf(c);
  const how = own
    ? 'has a preStop that does not start a drain (it neither fails the health checks nor drains the listeners)'
    : 'has no preStop and no shutdown manager beside it';
  return { path: preStopPath(c), container: c.name, messageId: 'envoyNoDrain', data: { container: c.name, how }, fixId: 'addEnvoyDrain' };
}

/**
 * Ingress controllers and edge proxies are the servers of everyone's traffic: their own rollout,
 * scale-in or node drain drops requests unless their shutdown is ordered (docs/rules/ingress-controller-shutdown-unsafe.md).
 */
export const ingressControllerShutdownUnsafe = defineRule({
  target: 'object',
  kinds: LONG_RUNNING_WORKLOAD_KINDS,
  meta: {
    id: 'ingress-controller-shutdown-unsafe',
    ruleOfUptime: 4,
    severity: 'warning',
    summary: "an ingress controller's or edge proxy's own shutdown cuts connections: grace shorter than its drain, or no drain at all",
    fixable: true,
    messages: {
      nginxGraceShort:
        '{{grace}} is shorter than the ingress-nginx controller "{{container}}" needs to stop without cutting connections: {{preStop}}' +
        'it keeps nginx serving for --shutdown-grace-period {{sgp}} s ({{sgpOrigin}}), then nginx waits up to worker-shutdown-timeout {{wst}} s ({{wstOrigin}}) ' +
        'for open connections, {{needed}} s in all; the kubelet kills it first, so long requests, uploads and WebSockets still open then are cut{{assumed}}',
      traefikGraceShort:
        '{{grace}} is shorter than Traefik "{{container}}" needs to stop without cutting requests: {{preStop}}entry point {{entryPoint}} keeps accepting ' +
        'for requestAcceptGraceTimeout {{rag}} s ({{ragOrigin}}), then gives active requests graceTimeOut {{gto}} s ({{gtoOrigin}}), {{needed}} s in all; ' +
        'the kubelet kills it first, so requests still running then are cut',
      envoyNoDrain:
        'Envoy container "{{container}}" {{how}}: on SIGTERM Envoy closes its listeners and exits without draining ' +
        '(https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/operations/draining), so requests in flight, and connections that clients and ' +
        'load balancers still reuse, are reset during every rollout, scale-in or node drain',
    },
    fixes: {
      raiseNginxGrace:
        "set terminationGracePeriodSeconds to at least {{needed}}, or lower worker-shutdown-timeout in the controller's ConfigMap to what your longest requests need",
      raiseTraefikGrace: 'set terminationGracePeriodSeconds to at least {{needed}}, or shorten graceTimeOut to what your longest requests need',
      addEnvoyDrain:
        "drain Envoy before it gets SIGTERM: from a sidecar with an HTTP client (as Contour's and Envoy Gateway's shutdown managers do), have a preStop POST " +
        '/healthcheck/fail and /drain_listeners?graceful to the admin port and wait until its connections reach zero; keep terminationGracePeriodSeconds above that wait',
    },
  },
  check(view, _settings, all) {
    const w = workloadViewOf(view, all.workloads);
    if (!w) return [];
    const objects = objectsOf(all.objects);
    return edgeProxyContainers(w).flatMap(({ c, proxy }) => {
      const r = proxy === 'ingress-nginx' ? ingressNginx(c, w, objects) : proxy === 'traefik' ? traefik(c, w, objects) : envoy(c, w);
      return r ? [r] : [];
    });
  },
});

export default ingressControllerShutdownUnsafe;
