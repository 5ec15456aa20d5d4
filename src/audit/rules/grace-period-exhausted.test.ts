import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/pod-termination.md#grace-arithmetic (G = 30): SIGKILL at min(P,G) + max(G − floor(min(P,G)), 2).
const withPreStop = (seconds: number, podSpec: Record<string, unknown> = {}, annotations?: Record<string, string>) =>
  manifests({
    containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds } } } }],
    podSpec,
    ...(annotations ? { templateAnnotations: annotations } : {}),
  });
const grace = (n: number) => ({ spec: { template: { spec: { terminationGracePeriodSeconds: n } } } });

testRule('grace-period-exhausted', {
  valid: [
    { name: '25 s + 5 s fits 30 s', text: withPreStop(25) },
    { name: 'no preStop, default drain', text: manifests() },
    { name: 'in-app drain behind kube-proxy fits the default grace', text: manifests({ templateAnnotations: { 'zerodrop.dev/in-app-drain': 'true' } }) },
  ],
  invalid: [
    {
      name: 'preStop equal to the default grace leaves the 2 s minimum (Yelp/paasta#3909)',
      text: withPreStop(30),
      findings: [
        {
          messageId: 'minimumWindowOnly',
          line: 25,
          container: 'app',
          data: { preStop: '30 s', grace: 'terminationGracePeriodSeconds 30 (unset, the default)', stopSignalAt: '30 s', appWindow: '2 s', drain: '5 s' },
          fix: 'set terminationGracePeriodSeconds to at least 35 (preStop + drain), or shorten the preStop',
          patch: grace(35),
        },
      ],
    },
    {
      name: 'preStop + declared drain exceed an explicit grace period',
      text: withPreStop(20, { terminationGracePeriodSeconds: 30 }, { 'zerodrop.dev/drain-seconds': '15' }),
      findings: [
        {
          messageId: 'killedMidDrain',
          line: 37,
          container: 'app',
          data: {
            preStop: '20 s',
            drain: '15 s',
            total: '35 s',
            grace: 'terminationGracePeriodSeconds 30',
            stopSignalAt: '20 s',
            killAt: '30 s',
            shortfall: '5 s',
          },
          patch: grace(35),
        },
      ],
    },
    {
      name: 'a sleep action above the grace period is also rejected by the API server',
      text: withPreStop(40, { terminationGracePeriodSeconds: 30 }),
      findings: [{ messageId: 'minimumWindowOnlyAndRejected', line: 35, container: 'app', data: { preStop: '40 s', needed: 45 }, patch: grace(45) }],
    },
    {
      name: 'in-app drain behind an AWS NLB with IP targets holds on until the NLB lets go, then drains',
      text: manifests({
        templateAnnotations: { 'zerodrop.dev/in-app-drain': 'true' },
        service: { type: 'LoadBalancer' },
        serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' },
      }),
      findings: [
        {
          messageId: 'inAppDrainKilled',
          container: 'app',
          data: { hold: '120 s', drain: '5 s', killAt: '30 s', shortfall: '95 s', needed: 125 },
          fix: "set terminationGracePeriodSeconds to at least 125 (the slowest path's removal time + drain)",
          patch: grace(125),
        },
      ],
    },
    {
      name: '--drain-seconds applies without preStop',
      text: manifests({ podSpec: { terminationGracePeriodSeconds: 10 } }),
      settings: { drainSeconds: 20 },
      findings: [
        {
          messageId: 'killedMidDrainNoSleep',
          line: 31,
          container: 'app',
          data: { drain: '20 s', hook: 'has no preStop', grace: 'terminationGracePeriodSeconds 10', killAt: '10 s', shortfall: '10 s' },
          fixId: 'raiseGraceForDrain',
          patch: grace(20),
        },
      ],
    },
    {
      name: 'a hook that is not a sleep is not called one (an ingress controller with grace 0 for a local cluster)',
      text: manifests({
        containers: [{ ...APP, lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } } }],
        podSpec: { terminationGracePeriodSeconds: 0 },
      }),
      findings: [
        {
          messageId: 'minimumWindowNoSleep',
          container: 'app',
          data: {
            hook: 'has a preStop that is not a timed sleep (exec "/wait-shutdown"), counted as returning at once',
            grace: 'terminationGracePeriodSeconds: 0, which the kubelet treats as 1 s',
          },
          fixId: 'raiseGraceForDrain',
          patch: grace(5),
        },
      ],
    },
    {
      name: 'terminationGracePeriodSeconds: 0 is quoted as written, then as the kubelet uses it',
      text: manifests({ podSpec: { terminationGracePeriodSeconds: 0 } }),
      findings: [
        {
          messageId: 'minimumWindowNoSleep',
          container: 'app',
          data: { grace: 'terminationGracePeriodSeconds: 0, which the kubelet treats as 1 s', appWindow: '2 s', drain: '5 s' },
          fixId: 'raiseGraceForDrain',
          patch: grace(5),
        },
      ],
    },
  ],
});
