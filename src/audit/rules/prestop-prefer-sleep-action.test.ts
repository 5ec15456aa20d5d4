import { describe, expect, it } from 'vitest';
import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';
import { isPureSleep } from './prestop-prefer-sleep-action.js';

// docs/reference/feature-versions.md#sleep-action: the sleep action is on from 1.30 and runs in the kubelet.
const execSleep = (command: string[], podSpec: Record<string, unknown> = {}) =>
  manifests({ containers: [{ ...APP, lifecycle: { preStop: { exec: { command } } } }], podSpec });
const sleepPatch = (seconds: number) => ({
  spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { exec: null, sleep: { seconds } } } }] } } },
});

testRule('prestop-prefer-sleep-action', {
  valid: [
    { name: 'a pure exec sleep shorter than the slowest path: the drain rules rewrite it as the sleep action', text: execSleep(['sleep', '2']) },
    { name: 'before 1.30', text: execSleep(['/bin/sleep', '20']), settings: { kubernetesVersion: '1.29' } },
    { name: 'a script that does more than sleep', text: execSleep(['sh', '-c', 'sleep 5 && nginx -s quit']) },
  ],
  invalid: [
    {
      name: '/bin/sleep 20 at 1.33 (the seed preStop overlay)',
      text: execSleep(['/bin/sleep', '20']),
      findings: [
        {
          messageId: 'execSleep',
          line: 33,
          container: 'app',
          data: { command: '/bin/sleep 20', duration: '20 s', kubernetesVersion: '1.33' },
          fix: 'replace exec with lifecycle.preStop.sleep.seconds: 20',
          patch: sleepPatch(20),
        },
      ],
    },
    {
      name: 'sh -c "sleep 5.5" rounds up to whole seconds',
      text: execSleep(['sh', '-c', 'sleep 5.5']),
      findings: [{ messageId: 'execSleep', line: 33, container: 'app', data: { duration: '5.5 s', seconds: 6 }, patch: sleepPatch(6) }],
    },
    {
      name: 'never above the grace period (API validation, docs/reference/pod-termination.md#grace-period)',
      text: execSleep(['sleep', '40'], { terminationGracePeriodSeconds: 30 }),
      findings: [{ messageId: 'execSleep', line: 33, container: 'app', data: { duration: '40 s', seconds: 30 }, patch: sleepPatch(30) }],
    },
  ],
});

describe('isPureSleep', () => {
  it.each([
    [['sleep', '5'], true],
    [['/bin/sleep', '20'], true],
    [['/bin/sh', '-c', 'sleep 5'], true],
    [['sh', '-c', 'sleep 5; nginx -s quit'], false],
  ] as const)('%j → %s', (cmd, pure) => expect(isPureSleep([...cmd])).toBe(pure));
});
