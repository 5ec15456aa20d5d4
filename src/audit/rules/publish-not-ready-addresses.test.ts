import { manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §1.3 podToEndpoint: ready = publishNotReadyAddresses || (serving && !terminating).
describeFixtures('publish-not-ready-addresses');

describeCases('publish-not-ready-addresses', [
  {
    name: 'invalid: on a traffic Service',
    yaml: manifests({ service: { publishNotReadyAddresses: true } }),
    expected: [{ message: /^publishNotReadyAddresses: true marks every endpoint ready, .*terminating \(§1\.3\)/ }],
  },
  {
    name: 'invalid: headless but not a StatefulSet governing Service',
    yaml: manifests({ service: { publishNotReadyAddresses: true, clusterIP: 'None' } }),
    expected: [{ message: /marks every endpoint ready/ }],
  },
  {
    name: 'valid: governing headless Service of a StatefulSet',
    yaml: manifests({ kind: 'StatefulSet', spec: { serviceName: 'web' }, service: { publishNotReadyAddresses: true, clusterIP: 'None' } }),
    expected: [],
  },
  { name: 'valid: false', yaml: manifests({ service: { publishNotReadyAddresses: false } }), expected: [] },
]);
