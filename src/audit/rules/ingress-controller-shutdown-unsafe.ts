import { parse as parseYaml } from 'yaml';
import { ingressNginxController, ingressNginxSetting, traefikLifecycle } from '../../k8s/edgeProxies.js';
import { preStopDelaySeconds } from '../../k8s/objects.js';
import { followsPropagation, slowestOf, type TrafficPath } from '../../k8s/trafficPaths.js';
import type { ContainerView, RuleResult, WorkloadView } from '../types.js';
import { defineRule } from './support/defineRule.js';
import { graceOf, gracePath, preStopOf, preStopPath } from './support/drain.js';
import { edgeProxyContainers, LONG_RUNNING_WORKLOAD_KINDS, objectsOf, workloadViewOf } from './support/edge.js';
import { containerPatch, podSpecPatch } from './support/patches.js';

type Result = RuleResult<
  'nginxGraceShort' | 'nginxQuitsBeforeRemoval' | 'traefikGraceShort' | 'traefikStopsAcceptingBeforeRemoval' | 'envoyNoDrain',
  'raiseNginxGrace' | 'nginxShutdownGracePeriod' | 'raiseTraefikGrace' | 'traefikAcceptGrace' | 'addEnvoyDrain'
>;

/**
 * The path in front that lets go of a terminating pod last, when it has a removal time of its own
 * (a cloud load balancer's deregistration or health check); in-cluster paths follow the
 * propagation assumption, which prestop-missing and prestop-does-not-wait already judge.
 */
function slowPath(w: WorkloadView): TrafficPath | undefined {
  return slowestOf(w.paths.filter((p) => !followsPropagation(p)));
}

/** What a message says about a path's removal time: its source, and what was assumed. */
function removalData(path: TrafficPath) {
  const origin = path.removalFrom === 'default' ? 'the default for this path' : (path.setBy ?? path.removalFrom);
  return {
    pathDescription: path.description,
    removal: path.removalSeconds,
    removalOrigin: origin,
    assumptions: path.assumptions.length > 0 ? `; assumed: ${path.assumptions.join('; ')}` : '',
  };
}

/** The container's args with `--flag=value` set (replacing a written one), when its flags are in args. */
function argsWith(c: ContainerView, flag: string, value: string): string[] | undefined {
  const args = c.container.args;
  if (!Array.isArray(args)) return undefined;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = String(args[i]);
    if (a === flag) {
      i++;
      continue;
    }
    if (!a.startsWith(`${flag}=`)) out.push(a);
  }
  return [...out, `${flag}=${value}`];
}

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
function ingressNginx(c: ContainerView, w: WorkloadView, objects: ReturnType<typeof objectsOf>): Result[] {
  const controller = ingressNginxController(c.container, w.namespace, objects);
  const wst = ingressNginxSetting(controller, 'ingress-nginx/worker-shutdown-timeout');
  const sgp = controller.shutdownGracePeriod;
  const lead = preStopLead(c);
  const out: Result[] = [];
  // Behind a slow path, nginx must keep serving until the path has let go of the pod.
  const slow = slowPath(w);
  const delay = lead.seconds + sgp.seconds;
  const sgpNeeded = slow && delay < slow.removalSeconds ? Math.ceil(slow.removalSeconds - lead.seconds) : undefined;
  const sgpAfter = Math.max(sgp.seconds, sgpNeeded ?? 0);
  const graceAfter = Math.ceil(lead.seconds + sgpAfter + wst.seconds);
  const graceFields = graceOf(w).seconds < graceAfter ? { terminationGracePeriodSeconds: graceAfter } : {};
  if (slow && sgpNeeded !== undefined) {
    const args = argsWith(c, '--shutdown-grace-period', String(sgpNeeded));
    out.push({
      path: preStopPath(c),
      container: c.name,
      messageId: 'nginxQuitsBeforeRemoval',
      data: {
        container: c.name,
        ...removalData(slow),
        delay,
        delayHow: `${lead.text}--shutdown-grace-period ${sgp.seconds} s (${sgp.origin})`,
        sgpNeeded,
        needed: graceAfter,
      },
      fixId: 'nginxShutdownGracePeriod',
      ...(args ? { patch: containerPatch(w, c, { args }, graceFields) } : {}),
    });
  }
  const needed = Math.ceil(lead.seconds + sgp.seconds + wst.seconds);
  if (graceOf(w).seconds >= needed) return out;
  out.push({
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
    patch: podSpecPatch(w, { terminationGracePeriodSeconds: Math.max(needed, graceAfter) }),
  });
  return out;
}

/**
 * Each entry point keeps accepting for requestAcceptGraceTimeout, then closes its listeners and
 * lets active requests run for graceTimeOut (pkg/server/server_entrypoint_tcp.go); entry points
 * shut down side by side, so the slowest one decides.
 */
function traefik(c: ContainerView, w: WorkloadView, objects: ReturnType<typeof objectsOf>): Result[] {
  const lifecycle = traefikLifecycle(c.container, w.podSpec, w.namespace, objects, parseYaml);
  if (!lifecycle) return [];
  const lead = preStopLead(c);
  const out: Result[] = [];
  const slow = slowPath(w);
  if (slow) {
    // The entry points the path's Service ports land on; all of them when none can be matched.
    const ports = new Set(w.servingPorts.filter((p) => slow.via.includes(p.service)).map((p) => p.target.containerPort));
    const carrying = lifecycle.entryPoints.filter((ep) => ep.port !== undefined && ports.has(ep.port));
    const first = (carrying.length > 0 ? carrying : lifecycle.entryPoints).sort(
      (a, b) => a.requestAcceptGraceTimeout.seconds - b.requestAcceptGraceTimeout.seconds,
    )[0];
    const delay = lead.seconds + (first?.requestAcceptGraceTimeout.seconds ?? 0);
    if (first && delay < slow.removalSeconds) {
      const ragNeeded = Math.ceil(slow.removalSeconds - lead.seconds);
      out.push({
        path: preStopPath(c),
        container: c.name,
        messageId: 'traefikStopsAcceptingBeforeRemoval',
        data: {
          container: c.name,
          ...removalData(slow),
          entryPoint: first.name,
          delay,
          delayHow: `${lead.text}requestAcceptGraceTimeout ${first.requestAcceptGraceTimeout.seconds} s (${first.requestAcceptGraceTimeout.origin})`,
          ragNeeded,
          needed: Math.ceil(lead.seconds + ragNeeded + first.graceTimeOut.seconds),
        },
        fixId: 'traefikAcceptGrace',
      });
    }
  }
  const slowest = lifecycle.entryPoints
    .map((ep) => ({ ep, total: ep.requestAcceptGraceTimeout.seconds + ep.graceTimeOut.seconds }))
    .sort((a, b) => b.total - a.total)[0];
  if (!slowest) return out;
  const needed = Math.ceil(lead.seconds + slowest.total);
  if (graceOf(w).seconds >= needed) return out;
  out.push({
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
  });
  return out;
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
    looksAt: 'addons',
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
      nginxQuitsBeforeRemoval:
        '{{pathDescription}} stops sending to a terminating pod only after {{removal}} s ({{removalOrigin}}), but the ingress-nginx controller "{{container}}" ' +
        'quits nginx {{delay}} s after the pod is deleted ({{delayHow}}): nginx closes its listeners then, and the connections the load balancer still sends ' +
        'are refused{{assumptions}}',
      traefikStopsAcceptingBeforeRemoval:
        '{{pathDescription}} stops sending to a terminating pod only after {{removal}} s ({{removalOrigin}}), but Traefik "{{container}}" closes entry point ' +
        '{{entryPoint}} {{delay}} s after the pod is deleted ({{delayHow}}), and the connections the load balancer still sends are refused{{assumptions}}',
      envoyNoDrain:
        'Envoy container "{{container}}" {{how}}: on SIGTERM Envoy closes its listeners and exits without draining ' +
        '(https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/operations/draining), so requests in flight, and connections that clients and ' +
        'load balancers still reuse, are reset during every rollout, scale-in or node drain',
    },
    fixes: {
      raiseNginxGrace:
        "set terminationGracePeriodSeconds to at least {{needed}}, or lower worker-shutdown-timeout in the controller's ConfigMap to what your longest requests need",
      nginxShutdownGracePeriod:
        'set --shutdown-grace-period={{sgpNeeded}} on the controller (it keeps nginx serving that long after SIGTERM, while the load balancer ' +
        'lets go of the pod) and terminationGracePeriodSeconds to at least {{needed}}',
      traefikAcceptGrace:
        'set entryPoints.{{entryPoint}}.transport.lifeCycle.requestAcceptGraceTimeout to {{ragNeeded}}s (Traefik keeps accepting, its ping answering 503, that long ' +
        'after SIGTERM) and terminationGracePeriodSeconds to at least {{needed}}',
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
      if (proxy === 'ingress-nginx') return ingressNginx(c, w, objects);
      if (proxy === 'traefik') return traefik(c, w, objects);
      const r = envoy(c, w);
      return r ? [r] : [];
    });
  },
});

export default ingressControllerShutdownUnsafe;
