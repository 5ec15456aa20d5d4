import type { ObjectView, RuleResult, WorkloadView } from '../types.js';
import { describeWorkload, podsOf } from './support/containers.js';
import { defineRule } from './support/defineRule.js';

const PREFIX = 'nginx.ingress.kubernetes.io/';

type Result = RuleResult<
  'serviceUpstream' | 'nextUpstreamOff' | 'nextUpstreamWithoutError' | 'oneTry',
  'removeServiceUpstream' | 'retryOnError' | 'allowTries'
>;

/** Serving workloads behind the Ingress that run more than one pod, so a rollout always has another pod to retry on. */
function rollingBackends(ingress: ObjectView, workloads: readonly WorkloadView[]): WorkloadView[] {
  return workloads.filter((w) => w.serving && w.ingresses.some((i) => i.object === ingress.object) && podsOf(w) > 1);
}

function describeBackends(ws: readonly WorkloadView[]): string {
  return ws.map((w) => (w.kind === 'DaemonSet' ? `${describeWorkload(w)} (one pod per node)` : `${describeWorkload(w)} (${podsOf(w)} pods)`)).join(', ');
}

/**
 * ingress-nginx retries a failed connection on the next upstream by default (`proxy-next-upstream`
 * "error timeout", 3 tries), which covers a pod that stopped listening before it left the
 * upstream list. These annotations switch that off (docs/reference/edge-proxies.md#proxy-retries).
 */
export const proxyRetriesDisabled = defineRule({
  target: 'object',
  kinds: ['Ingress'],
  meta: {
    id: 'proxy-retries-disabled',
    ruleOfUptime: 4,
    severity: 'info',
    looksAt: 'traffic',
    summary: 'ingress-nginx annotations switch off the retry that would send a request refused by a rolling pod to another pod',
    messages: {
      serviceUpstream:
        '{{annotation}}: "{{value}}" sends requests to the Service\'s ClusterIP instead of the pod IPs, and then proxy_next_upstream has no effect ' +
        '(https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#service-upstream): when a pod of {{backends}} refuses or resets a ' +
        'connection during a rollout, the client gets the 502 that a retry on another pod would have hidden. Retries only hide drops from proxy metrics, and never ' +
        'for requests already sent (POST, PATCH); zerodrop counts at the client, so fix the shutdown order as well',
      nextUpstreamOff:
        '{{annotation}}: "{{value}}" switches off ingress-nginx\'s retry on the next pod (default "error timeout", 3 tries): when a pod of {{backends}} refuses a ' +
        'connection during a rollout, the client gets the 502 that a retry would have hidden. Retries only hide drops from proxy metrics, and never for requests ' +
        'already sent (POST, PATCH); zerodrop counts at the client, so fix the shutdown order as well',
      nextUpstreamWithoutError:
        '{{annotation}}: "{{value}}" leaves out "error", so a connection refused or reset by a pod of {{backends}} during a rollout is not retried on another pod ' +
        '(https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_next_upstream); the client gets the 502. zerodrop counts at the client, so fix the shutdown order as well',
      oneTry:
        '{{annotation}}: "{{value}}" allows a single try, so ingress-nginx never retries a connection refused by a pod of {{backends}} during a rollout on another pod; ' +
        'the client gets the 502 that a retry would have hidden. zerodrop counts at the client, so fix the shutdown order as well',
    },
    fixes: {
      removeServiceUpstream:
        'remove {{annotation}} (ingress-nginx then balances over the pod IPs and retries a refused connection on another pod), and give the pods a preStop delay so nothing is refused in the first place',
      retryOnError:
        'remove {{annotation}} or include "error" in it (the default is "error timeout"), and give the pods a preStop delay so nothing is refused in the first place',
      allowTries: 'remove {{annotation}} (the default allows 3 tries) or raise it, and give the pods a preStop delay so nothing is refused in the first place',
    },
  },
  check(ingress, _settings, { workloads }) {
    const annotations = (ingress.object.metadata?.annotations ?? {}) as Record<string, unknown>;
    const read = (name: string) => {
      const v = annotations[`${PREFIX}${name}`];
      return v === undefined || v === null ? undefined : String(v).trim();
    };
    const serviceUpstream = read('service-upstream');
    const nextUpstream = read('proxy-next-upstream');
    const tries = read('proxy-next-upstream-tries');
    if (serviceUpstream === undefined && nextUpstream === undefined && tries === undefined) return [];
    const backends = rollingBackends(ingress, workloads);
    if (backends.length === 0) return [];
    const data = (name: string, value: string) => ({ annotation: `${PREFIX}${name}`, value, backends: describeBackends(backends) });
    const path = (name: string) => ['metadata', 'annotations', `${PREFIX}${name}`];
    const out: Result[] = [];
    // With a mesh the ClusterIP is the documented way in (Linkerd, Istio: service-upstream with
    // upstream-vhost), and the mesh's own proxy then picks the pod (Istio's also retries by default).
    const meshed = read('upstream-vhost') !== undefined || backends.some((w) => w.paths.some((p) => p.kind === 'mesh'));
    if (serviceUpstream?.toLowerCase() === 'true' && meshed) return [];
    if (serviceUpstream?.toLowerCase() === 'true') {
      out.push({
        path: path('service-upstream'),
        messageId: 'serviceUpstream',
        data: data('service-upstream', serviceUpstream),
        fixId: 'removeServiceUpstream',
      });
      // With service-upstream the retry settings have no effect: one finding says it all.
      return out;
    }
    if (nextUpstream !== undefined) {
      const words = nextUpstream.toLowerCase().split(/\s+/);
      if (words.includes('off'))
        out.push({ path: path('proxy-next-upstream'), messageId: 'nextUpstreamOff', data: data('proxy-next-upstream', nextUpstream), fixId: 'retryOnError' });
      else if (nextUpstream !== '' && !words.includes('error'))
        out.push({
          path: path('proxy-next-upstream'),
          messageId: 'nextUpstreamWithoutError',
          data: data('proxy-next-upstream', nextUpstream),
          fixId: 'retryOnError',
        });
    }
    if (tries === '1' && !out.some((r) => r.messageId === 'nextUpstreamOff'))
      out.push({ path: path('proxy-next-upstream-tries'), messageId: 'oneTry', data: data('proxy-next-upstream-tries', tries), fixId: 'allowTries' });
    return out;
  },
});

export default proxyRetriesDisabled;
