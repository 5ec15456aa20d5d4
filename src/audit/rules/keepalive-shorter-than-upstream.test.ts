import { APP, ingress, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

/** The app `web` behind an Ingress of this class, its container running `argv`, with more documents. */
const app = (container: Record<string, unknown>, extra: Array<Record<string, unknown>> = [], ingressClass = 'nginx') =>
  manifests({ containers: [{ ...APP, ...container }], extra: [ingress({}, ingressClass), ...extra] });
const controller = (args: string[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'ingress' },
  spec: {
    selector: { matchLabels: { app: 'ingress' } },
    template: {
      metadata: { labels: { app: 'ingress' } },
      spec: {
        terminationGracePeriodSeconds: 300,
        containers: [{ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0', args: ['/nginx-ingress-controller', ...args] }],
      },
    },
  },
});
const settings = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress' }, data });

testRule('keepalive-shorter-than-upstream', {
  valid: [
    { name: 'no proxy path in front: a ClusterIP Service only', text: manifests({ containers: [{ ...APP, command: ['uvicorn', 'app:app'] }] }) },
    { name: 'a Traefik path: its idle timeout is not judged', text: app({ command: ['uvicorn', 'app:app'] }, [], 'traefik') },
    { name: 'hypercorn without a written keep-alive (a config file may set it)', text: app({ command: ['hypercorn', 'app:app'] }) },
    { name: 'gunicorn whose config file may choose the worker', text: app({ command: ['gunicorn', '-c', 'conf.py', 'app:app', '--keep-alive', '2'] }) },
    {
      name: 'a ConfigMap that lowers the upstream keep-alive below the app’s',
      text: app({ args: ['uvicorn', 'app:app'] }, [settings({ 'upstream-keepalive-timeout': '4' }), controller(['--configmap=default/ingress'])]),
    },
  ],
  invalid: [
    {
      name: 'ingress-nginx with no controller in the input: the 60 s default, assumed',
      text: app({ command: ['uvicorn', 'app:app'], env: [{ name: 'UVICORN_TIMEOUT_KEEP_ALIVE', value: '20' }] }),
      findings: [
        {
          messageId: 'appClosesFirst',
          container: 'app',
          data: {
            server: 'uvicorn',
            app: 20,
            appOrigin: 'UVICORN_TIMEOUT_KEEP_ALIVE=20',
            upstream: 'ingress-nginx through Ingress web → Service web port 80',
            upstreamSeconds: 60,
            upstreamOrigin: 'the default',
            assumed: '; the ingress-nginx controller and its ConfigMap are not in the input, so the default upstream-keepalive-timeout of 60 s is assumed',
            suggestion: '--timeout-keep-alive 65',
          },
          fix: 'set --timeout-keep-alive 65 (above the 60 s upstream), so the proxy, not the app, closes idle connections; or lower the upstream idle timeout below 20 s',
        },
      ],
    },
    {
      name: 'an Ingress of another class is not served by the only controller of the input',
      text: app({ command: ['uvicorn', 'app:app'] }, [
        settings({ 'upstream-keepalive-connections': '0' }),
        controller(['--configmap=default/ingress', '--ingress-class=internal']),
      ]),
      findings: [
        { messageId: 'appClosesFirst', container: 'app', data: { app: 5, appOrigin: '--timeout-keep-alive not set: the default 5 s', upstreamSeconds: 60 } },
      ],
    },
    {
      name: 'equal timeouts still race',
      text: app({ command: ['gunicorn', '-k', 'uvicorn.workers.UvicornWorker', '--keep-alive=60', 'app:app'] }, [
        settings({ 'upstream-keepalive-timeout': '1m' }),
        controller(['--configmap=default/ingress']),
      ]),
      findings: [
        {
          messageId: 'appClosesFirst',
          container: 'app',
          data: {
            server: 'gunicorn',
            app: 60,
            appOrigin: '--keep-alive 60',
            upstreamSeconds: 60,
            upstreamOrigin: 'upstream-keepalive-timeout: "1m" in ConfigMap default/ingress',
            assumed: '',
          },
        },
      ],
    },
  ],
});
