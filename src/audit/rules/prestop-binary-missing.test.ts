import { APP, manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §1.2 "exec runs inside the container"; zendesk/samson#2904.
describeFixtures('prestop-binary-missing');

const distroless = (command: string[], image = 'gcr.io/distroless/static-debian12') =>
  manifests({ containers: [{ ...APP, image, lifecycle: { preStop: { exec: { command } } } }] });

describeCases('prestop-binary-missing', [
  {
    name: 'invalid: exec sleep on distroless; the fix swaps in the sleep action',
    yaml: distroless(['sleep', '5']),
    expected: [
      {
        container: 'app',
        message: /runs "sleep", but gcr\.io\/distroless\/static-debian12 is shell-less .* "executable file not found"/,
        fix: /sleep\.seconds: 5/,
        patch: { spec: { template: { spec: { containers: [{ name: 'app', lifecycle: { preStop: { exec: null, sleep: { seconds: 5 } } } }] } } } },
      },
    ],
  },
  {
    name: 'invalid: a shell script on scratch-like chainguard images',
    yaml: distroless(['/bin/sh', '-c', 'sleep 5'], 'cgr.dev/chainguard/node:latest'),
    expected: [{ message: /runs "\/bin\/sh"/ }],
  },
  {
    name: 'invalid: before 1.30 there is no machine fix',
    yaml: distroless(['sleep', '5']),
    settings: { kubernetesVersion: '1.29' },
    expected: [{ message: /shell-less/, fix: /no sleep action/ }],
  },
  { name: 'valid: the distroless :debug variant ships busybox', yaml: distroless(['sleep', '5'], 'gcr.io/distroless/base:debug'), expected: [] },
  { name: 'valid: the app binary itself', yaml: distroless(['/app/server', '--drain']), expected: [] },
  { name: 'valid: a regular image', yaml: distroless(['sleep', '5'], 'node:20-slim'), expected: [] },
]);
