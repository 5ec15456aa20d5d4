import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/pod-termination.md#hook-facts; zendesk/samson#2904.
const distroless = (command: string[], image = 'gcr.io/distroless/static-debian12') =>
  manifests({ containers: [{ ...APP, image, lifecycle: { preStop: { exec: { command } } } }] });

const sleepFor5 = { spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { exec: null, sleep: { seconds: 5 } } } }] } } } };

testRule('prestop-binary-missing', {
  valid: [
    { name: 'the distroless :debug variant ships busybox', text: distroless(['sleep', '5'], 'gcr.io/distroless/base:debug') },
    { name: 'the app binary itself', text: distroless(['/app/server', '--drain']) },
    { name: 'a regular image', text: distroless(['sleep', '5'], 'node:20-slim') },
  ],
  invalid: [
    {
      name: 'exec sleep on distroless; the fix swaps in the sleep action',
      text: distroless(['sleep', '5']),
      findings: [
        {
          messageId: 'binaryMissing',
          line: 34,
          container: 'app',
          data: { binary: 'sleep', image: 'gcr.io/distroless/static-debian12' },
          fix: 'use the sleep action, which the kubelet runs itself: lifecycle.preStop.sleep.seconds: 5',
          patch: sleepFor5,
        },
      ],
    },
    {
      name: 'a shell script on scratch-like chainguard images: its sleep carries over to the sleep action',
      text: distroless(['/bin/sh', '-c', 'sleep 5'], 'cgr.dev/chainguard/node:latest'),
      findings: [
        {
          messageId: 'binaryMissing',
          line: 34,
          container: 'app',
          data: { binary: '/bin/sh', image: 'cgr.dev/chainguard/node:latest' },
          fixId: 'swapToSleepAction',
          patch: sleepFor5,
        },
      ],
    },
    {
      name: 'a hook that does more than sleep: advice, no machine fix',
      text: distroless(['/bin/sh', '-c', 'kill -TERM 1']),
      findings: [{ messageId: 'binaryMissing', line: 34, container: 'app', data: { binary: '/bin/sh' }, fixId: 'useSleepAction' }],
    },
    {
      name: 'before 1.30 there is no machine fix',
      text: distroless(['sleep', '5']),
      settings: { kubernetesVersion: '1.29' },
      findings: [{ messageId: 'binaryMissing', line: 34, container: 'app', fixId: 'drainInApp' }],
    },
  ],
});
