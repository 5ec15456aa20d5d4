import { albIdleTimeout, EDGE_DEFAULTS, ingressNginxController, ingressNginxSetting, type ResolvedSetting } from '../../k8s/edgeProxies.js';
import { visibleIdleTimeout, type VisibleIdleTimeout } from '../../k8s/keepAlive.js';
import type { KubeObject } from '../../k8s/objects.js';
import type { TrafficPath } from '../../k8s/trafficPaths.js';
import type { ContainerView, RuleResult, WorkloadView, YamlPath } from '../types.js';
import { trafficContainers } from './support/containers.js';
import { defineRule } from './support/defineRule.js';
import { edgeProxyContainers, LONG_RUNNING_WORKLOAD_KINDS, objectsOf, workloadViewOf } from './support/edge.js';

interface Upstream {
  path: TrafficPath;
  idle: ResolvedSetting;
}

const classOf = (ingress: KubeObject | undefined): string | undefined => {
  const spec = ingress?.spec as { ingressClassName?: unknown } | undefined;
  if (typeof spec?.ingressClassName === 'string') return spec.ingressClassName;
  const a = (ingress?.metadata?.annotations as Record<string, unknown> | undefined)?.['kubernetes.io/ingress.class'];
  return typeof a === 'string' ? a : undefined;
};

/**
 * The ingress-nginx controller of the input that serves this Ingress: the one whose
 * `--ingress-class` (default `nginx`) is the Ingress's class, or, for an Ingress that names no
 * class, the only one there is.
 */
function controllerFor(ingress: KubeObject | undefined, workloads: readonly WorkloadView[], objects: KubeObject[]) {
  const controllers = workloads.flatMap((w) =>
    edgeProxyContainers(w)
      .filter((x) => x.proxy === 'ingress-nginx')
      .map((x) => ingressNginxController(x.c.container, w.namespace, objects)),
  );
  const cls = classOf(ingress);
  if (cls !== undefined) return controllers.find((c) => c.ingressClass === cls);
  return controllers.length === 1 ? controllers[0] : undefined;
}

/** How long the proxy or load balancer of a path keeps an idle connection to the pod, for the paths whose value is known. */
function upstreamIdle(path: TrafficPath, workloads: readonly WorkloadView[], objects: KubeObject[]): ResolvedSetting | undefined {
  const ingress = path.via.find((o) => o.kind === 'Ingress');
  if (path.kind === 'ingress-nginx') {
    const controller = controllerFor(ingress, workloads, objects);
    // upstream-keepalive-connections "0" turns upstream keep-alive off: no idle connection to race.
    const pool = controller?.configMap?.data as Record<string, unknown> | undefined;
    if (pool && String(pool['upstream-keepalive-connections'] ?? '').trim() === '0') return undefined;
    return ingressNginxSetting(controller, 'ingress-nginx/upstream-keepalive-timeout');
  }
  const alb = path.kind === 'aws-alb-ip' || (path.kind === 'cloud-lb-nodes' && path.description.startsWith('AWS ALB'));
  if (alb) {
    if (ingress) return albIdleTimeout(ingress);
    const def = EDGE_DEFAULTS['aws-alb/idle_timeout.timeout_seconds'];
    return {
      seconds: def.seconds,
      from: 'default',
      origin: `the ALB default ${def.seconds} s`,
      assumption: `the load balancer's attributes are not in the input, so its default idle timeout of ${def.seconds} s is assumed`,
    };
  }
  const gcpAlb = ingress && (path.kind === 'gke-neg' || (path.kind === 'cloud-lb-nodes' && path.description.startsWith('GKE Ingress')));
  if (gcpAlb) {
    const def = EDGE_DEFAULTS['gcp-alb/backend-keepalive'];
    return { seconds: def.seconds, from: 'default', origin: `Google Cloud's fixed backend keep-alive of ${def.seconds} s` };
  }
  return undefined;
}

/** Where the value is written (the flag in args or command, the env var), else the container. */
function valuePath(c: ContainerView, t: VisibleIdleTimeout): YamlPath {
  for (const key of ['args', 'command'] as const) {
    const list = c.container[key];
    const i = Array.isArray(list) ? list.findIndex((a) => String(a).includes(t.server.flag)) : -1;
    if (i >= 0) return [...c.path, key, i];
  }
  const env = Array.isArray(c.container.env) ? c.container.env : [];
  const e = t.server.env ? env.findIndex((x) => x.name === t.server.env!.name) : -1;
  if (e >= 0) return [...c.path, 'env', e];
  return c.path;
}

function suggestion(t: VisibleIdleTimeout, upstreamSeconds: number): string {
  const s = Math.ceil(upstreamSeconds) + 5;
  return `${t.server.flag} ${t.server.unit === 'ms' ? s * 1000 : s}`;
}

/**
 * A proxy that reuses an idle connection the backend has just closed answers 502; the backend's
 * idle timeout must outlast the proxy's (docs/reference/node-http.md#keep-alive-race). Judged
 * where both sides are known: the app server's value in its args or env (src/k8s/keepAlive.ts),
 * and the proxy's from the path in front (ingress-nginx's ConfigMap, the ALB's attributes).
 */
export const keepaliveShorterThanUpstream = defineRule({
  target: 'object',
  kinds: LONG_RUNNING_WORKLOAD_KINDS,
  meta: {
    id: 'keepalive-shorter-than-upstream',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'traffic',
    summary: 'the app closes idle keep-alive connections before the proxy or load balancer in front does, so reused connections fail with 502',
    messages: {
      appClosesFirst:
        '{{server}} in "{{container}}" closes idle keep-alive connections after {{app}} s ({{appOrigin}}), while {{upstream}} keeps them up to {{upstreamSeconds}} s ' +
        '({{upstreamOrigin}}) for reuse: when {{server}} closes one just as the proxy sends the next request on it, that request fails with a 502 ' +
        '("upstream prematurely closed connection"), and a rollout closes them all at once{{assumed}}',
    },
    fixes: {
      raiseAppTimeout:
        'set {{suggestion}} (above the {{upstreamSeconds}} s upstream), so the proxy, not the app, closes idle connections; or lower the upstream idle timeout below {{app}} s',
    },
  },
  check(view, _settings, all) {
    const w = workloadViewOf(view, all.workloads);
    if (!w?.serving || w.paths.length === 0) return [];
    const objects = objectsOf(all.objects);
    const upstreams: Upstream[] = w.paths.flatMap((path) => {
      const idle = upstreamIdle(path, all.workloads, objects);
      return idle ? [{ path, idle }] : [];
    });
    const longest = upstreams.sort((a, b) => b.idle.seconds - a.idle.seconds)[0];
    if (!longest) return [];
    const out: RuleResult<'appClosesFirst', 'raiseAppTimeout'>[] = [];
    for (const c of trafficContainers(w)) {
      const t = visibleIdleTimeout(c.container);
      if (!t || t.seconds > longest.idle.seconds) continue;
      out.push({
        path: valuePath(c, t),
        container: c.name,
        messageId: 'appClosesFirst',
        data: {
          server: t.server.server,
          container: c.name,
          app: t.seconds,
          appOrigin: t.origin,
          upstream: longest.path.description,
          upstreamSeconds: longest.idle.seconds,
          upstreamOrigin: longest.idle.origin,
          assumed: longest.idle.assumption ? `; ${longest.idle.assumption}` : '',
          suggestion: suggestion(t, longest.idle.seconds),
        },
        fixId: 'raiseAppTimeout',
      });
    }
    return out;
  },
});

export default keepaliveShorterThanUpstream;
