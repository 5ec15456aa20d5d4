import { describe, expect, it } from 'vitest';
import { APP, manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';
import { withSleepSeconds } from './prestop-shorter-than-propagation.js';

// §1.6 propagation latencies; the preStop must outlast them.
describeFixtures('prestop-shorter-than-propagation');

const withPreStop = (preStop: unknown) => manifests({ containers: [{ ...APP, lifecycle: { preStop } }] });

describeCases('prestop-shorter-than-propagation', [
  {
    name: 'invalid: sleep action of 3 s against 5 s propagation',
    yaml: withPreStop({ sleep: { seconds: 3 } }),
    expected: [
      {
        container: 'app',
        message:
          /^preStop of "app" sleeps 3 s but endpoint removal is assumed to take 5 s \(--propagation-seconds\): requests routed in the last 2 s hit a closed listener$/,
        patch: { spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] } } } },
      },
    ],
  },
  {
    name: 'invalid: exec sleep inside a shell keeps the rest of the script in the fix',
    yaml: withPreStop({ exec: { command: ['sh', '-c', 'sleep 2 && kill -TERM 1'] } }),
    expected: [
      {
        message: /sleeps 2 s/,
        patch: {
          spec: {
            template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5 && kill -TERM 1'] } } } }] } },
          },
        },
      },
    ],
  },
  {
    name: 'invalid: a longer assumed propagation',
    yaml: withPreStop({ sleep: { seconds: 10 } }),
    settings: { propagationSeconds: 15 },
    expected: [{ message: /sleeps 10 s but .* 15 s .* last 5 s/ }],
  },
  { name: 'valid: 5 s', yaml: withPreStop({ sleep: { seconds: 5 } }), expected: [] },
  {
    name: 'valid: in-app drain covers the rest',
    yaml: manifests({
      containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds: 1 } } } }],
      templateAnnotations: { 'zerodrop.dev/in-app-drain': 'true' },
    }),
    expected: [],
  },
]);

describe('withSleepSeconds', () => {
  it('replaces the sleep argument or the sleep inside a script', () => {
    expect(withSleepSeconds(['/bin/sleep', '2'], 5)).toEqual(['/bin/sleep', '5']);
    expect(withSleepSeconds(['sh', '-c', 'sleep 2; nginx -s quit'], 7)).toEqual(['sh', '-c', 'sleep 7; nginx -s quit']);
  });
});
