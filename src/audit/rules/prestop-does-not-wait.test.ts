import { APP, manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// §1.2 step 4: the stop signal follows the hook's return; kubernetes/website#1414.
describeFixtures('prestop-does-not-wait');

const withCommand = (command: string[]) =>
  manifests({ containers: [{ ...APP, name: 'nginx', image: 'nginx:1.27', lifecycle: { preStop: { exec: { command } } } }] });

describeCases('prestop-does-not-wait', [
  {
    name: 'invalid: nginx -s quit',
    yaml: withCommand(['/usr/sbin/nginx', '-s', 'quit']),
    expected: [
      {
        container: 'nginx',
        message: /runs "\/usr\/sbin\/nginx -s quit": nginx -s only sends a signal to the master process and returns at once/,
        fix: /sh -c "sleep 5; \/usr\/sbin\/nginx -s quit"/,
      },
    ],
  },
  {
    name: 'invalid: kill in a shell',
    yaml: withCommand(['sh', '-c', 'kill -QUIT 1']),
    expected: [{ message: /kill only sends a signal/, fix: /sh -c "sleep 5; kill -QUIT 1"/ }],
  },
  {
    name: 'invalid: apachectl graceful-stop',
    yaml: withCommand(['apachectl', '-k', 'graceful-stop']),
    expected: [{ message: /apachectl -k only signals httpd/ }],
  },
  { name: 'valid: sleep before the quit', yaml: withCommand(['sh', '-c', 'sleep 5; nginx -s quit']), expected: [] },
  { name: 'valid: a wait loop after the quit', yaml: withCommand(['sh', '-c', 'nginx -s quit; while pgrep -x nginx; do :; done']), expected: [] },
  { name: 'valid: an opaque script', yaml: withCommand(['/drain.sh']), expected: [] },
]);
