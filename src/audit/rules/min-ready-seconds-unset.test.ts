import { manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/workload-updates.md#deployment-controller IsPodAvailable; docs/reference/traffic-routing.md#ingress-and-load-balancers ingress and load-balancer registration delays.
testRule('min-ready-seconds-unset', {
  valid: [
    { name: 'set', text: manifests({ spec: { minReadySeconds: 10 } }) },
    { name: 'not serving', text: manifests({ service: { selector: { app: 'other' } } }) },
  ],
  invalid: [
    {
      name: 'unset on a serving Deployment: at the spec',
      text: manifests(),
      findings: [{ messageId: 'availableAtFirstProbe', line: 16, fixId: 'setMinReadySeconds' }],
    },
    { name: 'explicit 0: at the field', text: manifests({ spec: { minReadySeconds: 0 } }), findings: [{ messageId: 'availableAtFirstProbe', line: 18 }] },
    { name: 'serving DaemonSet', text: manifests({ kind: 'DaemonSet' }), findings: [{ messageId: 'availableAtFirstProbe', line: 16 }] },
  ],
});
