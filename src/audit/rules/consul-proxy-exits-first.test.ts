import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/traffic-paths.md#consul-dataplane: with lifecycle management consul-dataplane proxies for its
// shutdown grace period after SIGTERM (Helm default 30 s); without it, it exits at once.
const LIFECYCLE = 'consul.hashicorp.com/enable-sidecar-proxy-lifecycle';
const GRACE = 'consul.hashicorp.com/sidecar-proxy-lifecycle-shutdown-grace-period-seconds';
const app = (preStopSeconds: number) => ({ ...APP, lifecycle: { preStop: { sleep: { seconds: preStopSeconds } } } });
const meshed = (annotations: Record<string, string> = {}, preStop = 10) =>
  manifests({ containers: [app(preStop)], templateAnnotations: { 'consul.hashicorp.com/connect-inject': 'true', ...annotations } });
const patch = (seconds: number, spec: Record<string, unknown> = {}) => ({
  spec: { template: { metadata: { annotations: { [LIFECYCLE]: 'true', [GRACE]: String(seconds) } }, ...(Object.keys(spec).length > 0 ? { spec } : {}) } },
});

testRule('consul-proxy-exits-first', {
  valid: [
    { name: 'the Helm default of 30 s covers preStop + drain', text: meshed() },
    { name: 'an annotated grace that covers them', text: meshed({ [GRACE]: '20' }, 15) },
    { name: 'native sidecar', text: meshed({ 'consul.hashicorp.com/enable-consul-dataplane-as-sidecar': 'true', [LIFECYCLE]: 'false' }) },
    { name: 'connect-inject "false"', text: manifests({ containers: [app(10)], templateAnnotations: { 'consul.hashicorp.com/connect-inject': 'false' } }) },
  ],
  invalid: [
    {
      name: 'lifecycle off: the proxy exits at once',
      text: meshed({ [LIFECYCLE]: 'false' }),
      findings: [
        {
          messageId: 'exitsBeforeApp',
          data: { stops: '0 s', why: 'consul.hashicorp.com/enable-sidecar-proxy-lifecycle: "false" turns its shutdown grace off', appDone: '15 s' },
          patch: patch(15),
        },
      ],
    },
    {
      name: 'an assumed 30 s grace shorter than a long preStop, and the grace period raised with it',
      text: meshed({}, 40),
      findings: [
        {
          messageId: 'exitsBeforeApp',
          data: { stops: '30 s', why: 'the shutdown grace period of proxy lifecycle management', appDone: '45 s' },
          fix: 'annotate the pod template consul.hashicorp.com/enable-sidecar-proxy-lifecycle: "true" and consul.hashicorp.com/sidecar-proxy-lifecycle-shutdown-grace-period-seconds: "45", and keep terminationGracePeriodSeconds at least 45',
          patch: patch(45, { terminationGracePeriodSeconds: 45 }),
        },
      ],
    },
  ],
});
