import { objectLabel } from '../../k8s/trafficPaths.js';
import { defineRule } from './support/defineRule.js';
import { objectViewOf } from '../views.js';

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * GKE Ingress with container-native load balancing detaches a terminating pod's IP from its NEG.
 * Connection draining on the backend service keeps the requests already on that endpoint going;
 * it is set by a BackendConfig's `connectionDraining.drainingTimeoutSec`, and 0 (the default)
 * disables it, so in-flight requests are cut when the endpoint goes
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration,
 * https://cloud.google.com/load-balancing/docs/enabling-connection-draining).
 */
export const negConnectionDrainingMissing = defineRule({
  target: 'workload',
  meta: {
    id: 'neg-connection-draining-missing',
    ruleOfUptime: 4,
    severity: 'warning',
    looksAt: 'traffic',
    summary: 'a GKE Ingress reaches the pods through NEGs without connection draining, so in-flight requests are cut when a pod is detached',
    messages: {
      noBackendConfig:
        '{{path}} has no BackendConfig (cloud.google.com/backend-config on Service {{service}}), so its backend service drains no connections: ' +
        'requests in flight when a terminating pod is detached from the NEG are cut',
      drainingDisabled:
        'BackendConfig {{backendConfig}} sets no connectionDraining.drainingTimeoutSec above 0 (0 disables draining) for {{path}}: ' +
        'requests in flight when a terminating pod is detached from the NEG are cut',
    },
    fixes: {
      addBackendConfig:
        'create a BackendConfig with spec.connectionDraining.drainingTimeoutSec: {{suggested}} (at least your longest request) and name it in ' +
        'cloud.google.com/backend-config: \'{"default": "NAME"}\' on Service {{service}}',
      setDraining: 'set spec.connectionDraining.drainingTimeoutSec: {{suggested}} (at least your longest request) on BackendConfig {{backendConfig}}',
    },
  },
  check(w) {
    if (!w.serving) return [];
    const out = [];
    const suggested = Math.max(30, Math.ceil(w.drainSeconds));
    for (const path of w.paths) {
      // Ingress NEGs only: GKE Gateway configures draining with its own policy objects, standalone NEGs outside the cluster.
      if (path.kind !== 'gke-neg' || path.via[0]?.kind !== 'Ingress') continue;
      const service = path.via.find((o) => o.kind === 'Service');
      const bc = path.via.find((o) => o.kind === 'BackendConfig');
      if (!service) continue;
      const annotations = service.metadata?.annotations ?? {};
      const named = 'cloud.google.com/backend-config' in annotations || 'beta.cloud.google.com/backend-config' in annotations;
      if (!bc) {
        // A BackendConfig named but not in the input is an assumption of the path, not a finding.
        if (named) continue;
        out.push({
          path: annotations && Object.keys(annotations).length > 0 ? ['metadata', 'annotations'] : ['metadata'],
          at: objectViewOf(service),
          messageId: 'noBackendConfig' as const,
          data: { path: path.description, service: objectLabel(service), suggested },
          fixId: 'addBackendConfig' as const,
          trafficPath: path,
        });
        continue;
      }
      const draining = isRecord(bc.spec) && isRecord(bc.spec.connectionDraining) ? bc.spec.connectionDraining : undefined;
      const timeout = draining?.drainingTimeoutSec;
      if (typeof timeout === 'number' && timeout > 0) continue;
      out.push({
        path: draining ? ['spec', 'connectionDraining'] : ['spec'],
        at: objectViewOf(bc),
        messageId: 'drainingDisabled' as const,
        data: { path: path.description, backendConfig: objectLabel(bc), suggested },
        fixId: 'setDraining' as const,
        trafficPath: path,
      });
    }
    return out;
  },
});

export default negConnectionDrainingMissing;
