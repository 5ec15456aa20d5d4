import { describe, expect, it } from 'vitest';
import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';
import { withSleepSeconds } from './prestop-shorter-than-propagation.js';

// docs/reference/traffic-routing.md#propagation-latency propagation latencies; the preStop must outlast them.
const withPreStop = (preStop: unknown) => manifests({ containers: [{ ...APP, lifecycle: { preStop } }] });

testRule('prestop-shorter-than-propagation', {
  valid: [
    { name: '5 s', text: withPreStop({ sleep: { seconds: 5 } }) },
    {
      name: 'in-app drain covers the rest',
      text: manifests({
        containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds: 1 } } } }],
        templateAnnotations: { 'zerodrop.dev/in-app-drain': 'true' },
      }),
    },
  ],
  invalid: [
    {
      name: 'sleep action of 3 s against 5 s propagation, at the seconds',
      text: withPreStop({ sleep: { seconds: 3 } }),
      findings: [
        {
          messageId: 'shorterThanPropagation',
          line: 34,
          container: 'app',
          data: { preStop: '3 s', propagation: '5 s', gap: '2 s' },
          fix: 'sleep at least 5 s in preStop (tune --propagation-seconds to your ingress or load balancer)',
          patch: { spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] } } } },
        },
      ],
    },
    {
      name: 'exec sleep inside a shell keeps the rest of the script in the fix',
      text: withPreStop({ exec: { command: ['sh', '-c', 'sleep 2 && kill -TERM 1'] } }),
      findings: [
        {
          messageId: 'shorterThanPropagation',
          line: 34,
          container: 'app',
          data: { preStop: '2 s' },
          patch: {
            spec: {
              template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5 && kill -TERM 1'] } } } }] } },
            },
          },
        },
      ],
    },
    {
      name: 'a longer assumed propagation',
      text: withPreStop({ sleep: { seconds: 10 } }),
      settings: { propagationSeconds: 15 },
      findings: [
        {
          messageId: 'shorterThanPropagation',
          line: 34,
          container: 'app',
          data: { preStop: '10 s', propagation: '15 s', gap: '5 s', wanted: 15 },
          patch: { spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { sleep: { seconds: 15 } } } }] } } } },
        },
      ],
    },
  ],
});

describe('withSleepSeconds', () => {
  it('replaces the sleep argument or the sleep inside a script', () => {
    expect(withSleepSeconds(['/bin/sleep', '2'], 5)).toEqual(['/bin/sleep', '5']);
    expect(withSleepSeconds(['sh', '-c', 'sleep 2; nginx -s quit'], 7)).toEqual(['sh', '-c', 'sleep 7; nginx -s quit']);
  });
});
