import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/traffic-paths.md#dapr-sidecar: daprd is a regular container that starts shutting down on
// SIGTERM unless dapr.io/block-shutdown-duration holds it back.
const BLOCK = 'dapr.io/block-shutdown-duration';
const app = (preStopSeconds: number) => ({ ...APP, lifecycle: { preStop: { sleep: { seconds: preStopSeconds } } } });
const dapr = (annotations: Record<string, string> = {}, containers: Array<Record<string, unknown>> = [app(10)]) =>
  manifests({ containers, templateAnnotations: { 'dapr.io/enabled': 'true', 'dapr.io/app-id': 'web', ...annotations } });
const patch = (block: string, spec: Record<string, unknown> = {}) => ({
  spec: { template: { metadata: { annotations: { [BLOCK]: block } }, ...(Object.keys(spec).length > 0 ? { spec } : {}) } },
});

testRule('dapr-sidecar-exits-first', {
  valid: [
    { name: 'a block covering preStop + drain', text: dapr({ [BLOCK]: '15s' }) },
    { name: 'no preStop and no in-app drain: the app does not outlive daprd', text: dapr({ 'dapr.io/app-port': '8080' }, [APP]) },
    { name: 'native sidecar', text: dapr({ 'dapr.io/enable-native-sidecar': 'true' }) },
    { name: 'dapr.io/enabled is not "true"', text: manifests({ containers: [app(10)], templateAnnotations: { 'dapr.io/enabled': 'false' } }) },
  ],
  invalid: [
    {
      name: 'a service-invocation target without a block',
      text: dapr({ 'dapr.io/app-port': '8080' }),
      findings: [
        {
          messageId: 'exitsBeforeApp',
          data: {
            stops: '0 s',
            blockFrom: ' (no dapr.io/block-shutdown-duration)',
            appDone: '15 s',
            lost: 'the service invocations daprd delivers to it on port 8080 (dapr.io/app-port) and its own Dapr API calls',
          },
          fix: 'annotate the pod template dapr.io/block-shutdown-duration: "15s" (daprd keeps serving until then, or until the app reports unhealthy), and keep terminationGracePeriodSeconds at least 20',
          patch: patch('15s'),
        },
      ],
    },
    {
      name: 'in-app drain without a preStop, and a grace period the fix raises',
      text: dapr({ 'zerodrop.dev/in-app-drain': 'true', 'zerodrop.dev/drain-seconds': '28' }, [APP]),
      findings: [
        {
          messageId: 'exitsBeforeApp',
          data: { preStop: '0 s', appDone: '28 s', lost: 'its Dapr API calls (state, pub/sub, bindings, service invocation)', neededGrace: 33 },
          patch: patch('28s', { terminationGracePeriodSeconds: 33 }),
        },
      ],
    },
  ],
});
