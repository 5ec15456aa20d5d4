import { APP, manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §1.2 step 4 worked examples (G = 30): SIGKILL at min(P,G) + max(G − floor(min(P,G)), 2).
describeFixtures('grace-period-exhausted');

const withPreStop = (seconds: number, podSpec: Record<string, unknown> = {}, annotations?: Record<string, string>) =>
  manifests({
    containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds } } } }],
    podSpec,
    ...(annotations ? { templateAnnotations: annotations } : {}),
  });
const grace = (n: number) => ({ spec: { template: { spec: { terminationGracePeriodSeconds: n } } } });

describeCases('grace-period-exhausted', [
  {
    name: 'invalid: preStop equal to the default grace leaves the 2 s minimum (Yelp/paasta#3909)',
    yaml: withPreStop(30),
    expected: [
      {
        container: 'app',
        message:
          /sleeps 30 s against terminationGracePeriodSeconds 30 \(the default\): the stop signal comes at 30 s and SIGKILL 2 s later \(the kubelet's 2 s minimum\), so the app gets 2 s of the 5 s it needs/,
        patch: grace(35),
      },
    ],
  },
  {
    name: 'invalid: preStop + declared drain exceed an explicit grace period',
    yaml: withPreStop(20, { terminationGracePeriodSeconds: 30 }, { 'zerodrop.dev/drain-seconds': '15' }),
    expected: [
      {
        message:
          /preStop 20 s \+ drain 15 s = 35 s exceeds terminationGracePeriodSeconds 30 for "app": the app gets its stop signal at 20 s and SIGKILL at 30 s, 5 s before it finishes draining/,
        patch: grace(35),
      },
    ],
  },
  {
    name: 'invalid: a sleep action above the grace period is also rejected by the API server',
    yaml: withPreStop(40, { terminationGracePeriodSeconds: 30 }),
    expected: [{ message: /rejects sleep\.seconds above terminationGracePeriodSeconds \(§1\.1\)/, patch: grace(45) }],
  },
  {
    name: 'invalid: --drain-seconds applies without preStop',
    yaml: manifests({ podSpec: { terminationGracePeriodSeconds: 10 } }),
    settings: { drainSeconds: 20 },
    expected: [{ message: /preStop 0 s \+ drain 20 s = 20 s exceeds terminationGracePeriodSeconds 10/, patch: grace(20) }],
  },
  { name: 'valid: 25 s + 5 s fits 30 s', yaml: withPreStop(25), expected: [] },
  { name: 'valid: no preStop, default drain', yaml: manifests(), expected: [] },
]);
