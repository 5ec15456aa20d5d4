import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const withPreStop = (preStop: unknown, extra: Record<string, unknown> = {}) => manifests({ containers: [{ ...APP, lifecycle: { preStop }, ...extra }] });

testRule('prestop-delay-unknown', {
  valid: [
    { name: 'a sleep in any spelling', text: withPreStop({ exec: { command: ['/bin/busybox', 'sleep', '10'] } }) },
    { name: 'a signal that returns at once is prestop-does-not-wait', text: withPreStop({ exec: { command: ['nginx', '-s', 'quit'] } }) },
    { name: "ingress-nginx's /wait-shutdown is known", text: withPreStop({ exec: { command: ['/wait-shutdown'] } }) },
    { name: "Contour's envoy shutdown waits for the drain", text: withPreStop({ exec: { command: ['/bin/contour', 'envoy', 'shutdown'] } }) },
  ],
  invalid: [
    {
      name: 'an HTTP hook on an endpoint zerodrop does not know',
      text: withPreStop({ httpGet: { path: '/quitquitquit', port: 15000 } }),
      findings: [
        {
          messageId: 'unknownHook',
          line: 32,
          container: 'app',
          data: { what: 'an HTTP GET of /quitquitquit on port 15000' },
          fix: 'make sure the hook waits about 5 s before the server stops accepting (or returns only after that); if it does not, use lifecycle.preStop.sleep.seconds: 5 and do its work in the stop-signal handler',
        },
      ],
    },
  ],
});
