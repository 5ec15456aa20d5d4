import { describe, expect, it } from 'vitest';
import { APP, manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';
import { isPureSleep } from './prestop-prefer-sleep-action.js';

// §5.1: the sleep action is on from 1.30 and runs in the kubelet.
describeFixtures('prestop-prefer-sleep-action');

const execSleep = (command: string[], podSpec: Record<string, unknown> = {}) =>
  manifests({ containers: [{ ...APP, lifecycle: { preStop: { exec: { command } } } }], podSpec });
const sleepPatch = (seconds: number) => ({
  spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { exec: null, sleep: { seconds } } } }] } } },
});

describeCases('prestop-prefer-sleep-action', [
  {
    name: 'invalid: /bin/sleep 20 at 1.33 (the seed preStop overlay)',
    yaml: execSleep(['/bin/sleep', '20']),
    expected: [
      { container: 'app', message: /execs "\/bin\/sleep 20" \(20 s\) inside the container; Kubernetes 1\.33 has the sleep action/, patch: sleepPatch(20) },
    ],
  },
  {
    name: 'invalid: sh -c "sleep 2.5" rounds up to whole seconds',
    yaml: execSleep(['sh', '-c', 'sleep 2.5']),
    expected: [{ message: /2\.5 s/, patch: sleepPatch(3) }],
  },
  {
    name: 'invalid: never above the grace period (API validation, §1.1)',
    yaml: execSleep(['sleep', '40'], { terminationGracePeriodSeconds: 30 }),
    expected: [{ message: /40 s/, patch: sleepPatch(30) }],
  },
  { name: 'valid: before 1.30', yaml: execSleep(['/bin/sleep', '20']), settings: { kubernetesVersion: '1.29' }, expected: [] },
  { name: 'valid: a script that does more than sleep', yaml: execSleep(['sh', '-c', 'sleep 5 && nginx -s quit']), expected: [] },
]);

describe('isPureSleep', () => {
  it.each([
    [['sleep', '5'], true],
    [['/bin/sleep', '20'], true],
    [['/bin/sh', '-c', 'sleep 5'], true],
    [['sh', '-c', 'sleep 5; nginx -s quit'], false],
  ] as const)('%j → %s', (cmd, pure) => expect(isPureSleep([...cmd])).toBe(pure));
});
