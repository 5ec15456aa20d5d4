import { stringify } from 'yaml';
import { testRule } from './fixtures/ruleTester.js';

const service = (port: Record<string, unknown>) =>
  stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'app' },
    spec: { selector: { app: 'app' }, ports: [{ port: 80, targetPort: 8080, ...port }] },
  });
const ingress = (annotations: Record<string, string>) =>
  stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'app', annotations },
    spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }] } }] },
  });
const deployment = (spec: Record<string, unknown> = {}, ports: unknown[] = [{ containerPort: 8080 }]) =>
  stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app' },
    spec: {
      selector: { matchLabels: { app: 'app' } },
      template: { metadata: { labels: { app: 'app' } }, spec: { ...spec, containers: [{ name: 'app', image: 'example/app:1', ports }] } },
    },
  });
const run = (...docs: string[]) => docs.join('---\n');

testRule('long-lived-connections-outlast-grace', {
  valid: [
    { name: 'h2c alone is not a stream signal', text: run(service({ appProtocol: 'kubernetes.io/h2c' }), deployment()) },
    { name: 'a port named like ws but only a prefix of another word', text: run(service({ name: 'wsgi' }), deployment()) },
    {
      name: 'a read timeout the grace window holds',
      text: run(service({}), ingress({ 'nginx.ingress.kubernetes.io/proxy-read-timeout': '25' }), deployment()),
    },
    {
      name: 'the ALB default idle timeout is not a raised one',
      text: run(service({}), ingress({ 'alb.ingress.kubernetes.io/load-balancer-attributes': 'deletion_protection.enabled=true' }), deployment()),
    },
  ],
  invalid: [
    {
      name: 'a container port named ws behind an Ingress',
      text: run(service({ targetPort: 'ws' }), ingress({}), deployment({}, [{ name: 'ws', containerPort: 8080 }])),
      findings: [
        {
          messageId: 'websocket',
          data: { signals: 'container port ws is named for WebSockets', window: 30, grace: 'terminationGracePeriodSeconds 30, the default', preStop: '' },
          fixId: 'closeStreams',
        },
      ],
    },
    {
      name: 'NGINX Inc websocket-services naming the Service',
      text: run(service({}), ingress({ 'nginx.org/websocket-services': 'other, app' }), deployment({ terminationGracePeriodSeconds: 600 })),
      findings: [{ messageId: 'websocket', data: { signals: 'Ingress/app lists its Service in nginx.org/websocket-services', window: 600 } }],
    },
    {
      name: 'the longest raised timeout is reported, against the window after the preStop',
      text: run(
        service({}),
        ingress({ 'nginx.ingress.kubernetes.io/proxy-read-timeout': '90', 'nginx.ingress.kubernetes.io/proxy-send-timeout': '5m' }),
        stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'app' },
          spec: {
            selector: { matchLabels: { app: 'app' } },
            template: {
              metadata: { labels: { app: 'app' } },
              spec: {
                terminationGracePeriodSeconds: 120,
                containers: [{ name: 'app', image: 'example/app:1', ports: [{ containerPort: 8080 }], lifecycle: { preStop: { sleep: { seconds: 20 } } } }],
              },
            },
          },
        }),
      ),
      findings: [
        {
          messageId: 'longTimeout',
          data: {
            origin: 'nginx.ingress.kubernetes.io/proxy-send-timeout: "5m"',
            ingress: 'Ingress/app',
            timeout: 300,
            window: 100,
            grace: 'terminationGracePeriodSeconds 120',
            preStop: ', less the 20 s preStop',
            needed: 320,
          },
          fixId: 'closeStreamsOrRaiseGrace',
        },
      ],
    },
  ],
});
