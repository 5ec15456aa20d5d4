import { objectLabel } from '../../k8s/trafficPaths.js';
import { defineRule } from './support/defineRule.js';
import { seconds } from './support/drain.js';
import { objectViewOf } from '../views.js';

const DRAINING = 'appgw.ingress.kubernetes.io/connection-draining';
const DRAINING_TIMEOUT = 'appgw.ingress.kubernetes.io/connection-draining-timeout';
/** AGIC's default draining timeout (https://learn.microsoft.com/azure/application-gateway/ingress-controller-annotations). */
const DEFAULT_TIMEOUT_SECONDS = 30;

/**
 * Azure Application Gateway removes a pod from its backend pool when AGIC rewrites the pool;
 * without connection draining (`appgw.ingress.kubernetes.io/connection-draining`, default false)
 * requests already on the pod are cut. The vendor's recipe for rolling updates enables it with a
 * timeout that covers the longest request
 * (https://azure.github.io/application-gateway-kubernetes-ingress/how-tos/minimize-downtime-during-deployments/).
 */
export const agicConnectionDrainingMissing = defineRule({
  target: 'workload',
  meta: {
    id: 'agic-connection-draining-missing',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'traffic',
    summary: 'an Application Gateway (AGIC) Ingress reaches the pods without connection draining long enough for their drain',
    messages: {
      drainingOff: `{{path}}: Ingress {{ingress}} does not set ${DRAINING}: "true" (the default is false), so requests in flight when a pod leaves the backend pool are cut`,
      drainingTooShort: `{{path}}: ${DRAINING_TIMEOUT} is {{timeout}}{{defaulted}}, shorter than the {{drain}} the pods need to drain (--drain-seconds or zerodrop.dev/drain-seconds)`,
    },
    fixes: {
      enableDraining: `annotate Ingress {{ingress}} with ${DRAINING}: "true" and ${DRAINING_TIMEOUT}: "{{suggested}}" (at least your longest request)`,
      raiseTimeout: `set ${DRAINING_TIMEOUT}: "{{suggested}}" or more on Ingress {{ingress}}`,
    },
  },
  check(w) {
    if (!w.serving) return [];
    const out = [];
    const suggested = Math.max(DEFAULT_TIMEOUT_SECONDS, Math.ceil(w.drainSeconds));
    for (const path of w.paths) {
      const ingress = path.via[0];
      if (path.kind !== 'azure-agic' || ingress?.kind !== 'Ingress') continue;
      const annotations = ingress.metadata?.annotations ?? {};
      const data = { path: path.description, ingress: objectLabel(ingress), suggested };
      if (String(annotations[DRAINING] ?? '').toLowerCase() !== 'true') {
        out.push({
          path:
            DRAINING in annotations ? ['metadata', 'annotations', DRAINING] : Object.keys(annotations).length > 0 ? ['metadata', 'annotations'] : ['metadata'],
          at: objectViewOf(ingress),
          messageId: 'drainingOff' as const,
          data,
          fixId: 'enableDraining' as const,
          trafficPath: path,
        });
        continue;
      }
      const raw = annotations[DRAINING_TIMEOUT];
      const timeout = raw !== undefined && /^\s*\d+\s*$/.test(String(raw)) ? Number(raw) : DEFAULT_TIMEOUT_SECONDS;
      if (timeout >= w.drainSeconds) continue;
      out.push({
        path: raw !== undefined ? ['metadata', 'annotations', DRAINING_TIMEOUT] : ['metadata', 'annotations', DRAINING],
        at: objectViewOf(ingress),
        messageId: 'drainingTooShort' as const,
        data: { ...data, timeout: seconds(timeout), defaulted: raw === undefined ? ' (the default)' : '', drain: seconds(w.drainSeconds) },
        fixId: 'raiseTimeout' as const,
        trafficPath: path,
      });
    }
    return out;
  },
});

export default agicConnectionDrainingMissing;
