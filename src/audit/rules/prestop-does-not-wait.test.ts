import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/pod-termination.md#per-container-kill: the stop signal follows the hook's return; kubernetes/website#1414.
const withCommand = (command: string[]) =>
  manifests({ containers: [{ ...APP, name: 'nginx', image: 'nginx:1.27', lifecycle: { preStop: { exec: { command } } } }] });

testRule('prestop-does-not-wait', {
  valid: [
    { name: 'sleep before the quit', text: withCommand(['sh', '-c', 'sleep 5; nginx -s quit']) },
    { name: 'a wait loop after the quit', text: withCommand(['sh', '-c', 'nginx -s quit; while pgrep -x nginx; do :; done']) },
    { name: 'an opaque script', text: withCommand(['/drain.sh']) },
    { name: 'kong quit --wait keeps Kong serving first', text: withCommand(['/bin/sh', '-c', 'kong quit --wait=15']) },
  ],
  invalid: [
    {
      name: "kong quit without --wait, in the shell Kong's chart wraps it in",
      text: withCommand(['/bin/sh', '-c', 'kong quit']),
      findings: [
        {
          messageId: 'stopsServerFirst',
          line: 34,
          container: 'nginx',
          fix: 'add --wait 5 to kong quit (Kong keeps serving that long before it quits nginx), or sleep first: lifecycle.preStop.sleep.seconds: 5',
        },
      ],
    },
    {
      name: 'nginx -s quit',
      text: withCommand(['/usr/sbin/nginx', '-s', 'quit']),
      findings: [
        {
          messageId: 'signalsAndReturns',
          line: 34,
          container: 'nginx',
          data: { command: '/usr/sbin/nginx -s quit', what: 'nginx -s only sends a signal to the master process and returns', propagation: '5 s' },
          fix: 'sleep first (lifecycle.preStop.sleep.seconds: 5) and let the image\'s STOPSIGNAL do the graceful stop, or sleep in the hook: sh -c "sleep 5; /usr/sbin/nginx -s quit"',
        },
      ],
    },
    {
      name: 'kill in a shell: the fix keeps the script',
      text: withCommand(['sh', '-c', 'kill -QUIT 1']),
      findings: [
        { messageId: 'signalsAndReturns', line: 34, container: 'nginx', data: { what: 'kill only sends a signal and returns', script: 'kill -QUIT 1' } },
      ],
    },
    {
      name: 'apachectl graceful-stop',
      text: withCommand(['apachectl', '-k', 'graceful-stop']),
      findings: [{ messageId: 'signalsAndReturns', line: 34, container: 'nginx', data: { what: 'apachectl -k only signals httpd and returns' } }],
    },
  ],
});
