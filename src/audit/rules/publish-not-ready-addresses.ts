import { defineRule } from './support/defineRule.js';
import { specOf } from './support/fields.js';

/**
 * `ready = publishNotReadyAddresses || (serving && !terminating)` (docs/reference/traffic-routing.md#endpointslice-conditions podToEndpoint): the flag
 * marks starting and terminating pods ready, so traffic reaches pods before their readiness probe
 * passes and during their shutdown. The legitimate use, a StatefulSet's headless governing Service
 * for peer discovery, is not flagged.
 */
export const publishNotReadyAddresses = defineRule({
  target: 'object',
  kinds: ['Service'],
  meta: {
    id: 'publish-not-ready-addresses',
    ruleOfUptime: null,
    severity: 'warning',
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
    if (governing) return [];
    return [{ path: ['spec', 'publishNotReadyAddresses'], messageId: 'everyEndpointReady', fixId: 'keepForPeerDiscovery' }];
  },
});

export default publishNotReadyAddresses;
