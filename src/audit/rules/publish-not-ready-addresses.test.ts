import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/traffic-routing.md#endpointslice-conditions podToEndpoint: ready = publishNotReadyAddresses || (serving && !terminating).
testRule('publish-not-ready-addresses', {
  valid: [
    {
      name: 'governing headless Service of a StatefulSet',
      text: manifests({ kind: 'StatefulSet', spec: { serviceName: 'web' }, service: { publishNotReadyAddresses: true, clusterIP: 'None' } }),
    },
    { name: 'false', text: manifests({ service: { publishNotReadyAddresses: false } }) },
    {
      name: 'per-pod announce Service selecting one StatefulSet pod by name',
      text: manifests({
        kind: 'StatefulSet',
        spec: { serviceName: 'redis' },
        service: { publishNotReadyAddresses: true, selector: { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0' } },
      }),
    },
  ],
  invalid: [
    {
      name: 'on a traffic Service, at the flag',
      text: manifests({ service: { publishNotReadyAddresses: true } }),
      findings: [{ messageId: 'everyEndpointReady', line: 11, column: 29, fixId: 'keepForPeerDiscovery' }],
    },
    {
      name: 'headless but not a StatefulSet governing Service',
      text: manifests({ service: { publishNotReadyAddresses: true, clusterIP: 'None' } }),
      findings: [{ messageId: 'everyEndpointReady', line: 11 }],
    },
  ],
});
