import { defineRule } from './support/defineRule.js';
import { specOf } from './support/fields.js';

/**
 * `ready = publishNotReadyAddresses || (serving && !terminating)` (docs/reference/traffic-routing.md#endpointslice-conditions podToEndpoint): the flag
 * marks starting and terminating pods ready, so traffic reaches pods before their readiness probe
 * passes and during their shutdown. The legitimate uses are not flagged: a StatefulSet's headless
 * governing Service for peer discovery, and a per-pod Service that selects one StatefulSet pod by
 * its `statefulset.kubernetes.io/pod-name` (or `apps.kubernetes.io/pod-index`) label, which
 * announces that pod's address to its peers before it is ready (the Redis Sentinel pattern: a
 * replica must be reachable by name while it is still syncing). Such a Service has one pod and
 * nothing to balance, so there is no other pod a request could have gone to.
 */
export const publishNotReadyAddresses = defineRule({
  target: 'object',
  kinds: ['Service'],
  meta: {
    id: 'publish-not-ready-addresses',
    ruleOfUptime: null,
    severity: 'warning',
    looksAt: 'traffic',
    summary: 'publishNotReadyAddresses sends traffic to pods that are starting or terminating',
    messages: {
      everyEndpointReady:
        'publishNotReadyAddresses: true marks every endpoint ready, including pods whose readiness probe has not passed and pods that are terminating (https://kubernetes.io/docs/tutorials/services/pods-and-endpoint-termination-flow/), ' +
        'so clients and ingress controllers keep sending requests to pods during startup and shutdown',
    },
    fixes: {
      keepForPeerDiscovery: 'remove publishNotReadyAddresses from Services that carry traffic; keep it only on a headless Service used for peer discovery',
    },
  },
  check(service, _settings, { workloads }) {
    const spec = specOf(service);
    if (spec.publishNotReadyAddresses !== true) return [];
    const governing =
      spec.clusterIP === 'None' &&
      workloads.some((w) => w.kind === 'StatefulSet' && w.namespace === service.namespace && w.object.spec?.serviceName === service.name);
    if (governing || selectsOnePod(spec.selector)) return [];
    return [{ path: ['spec', 'publishNotReadyAddresses'], messageId: 'everyEndpointReady', fixId: 'keepForPeerDiscovery' }];
  },
});

/** The labels the StatefulSet controller puts on each of its pods, naming that one pod. */
const POD_IDENTITY_LABELS = ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'];

function selectsOnePod(selector: unknown): boolean {
  return !!selector && typeof selector === 'object' && POD_IDENTITY_LABELS.some((l) => l in selector);
}

export default publishNotReadyAddresses;
