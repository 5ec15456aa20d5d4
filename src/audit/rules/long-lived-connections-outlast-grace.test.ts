import { APP, ingress, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

const withPort = (port: Record<string, unknown>, o: Parameters<typeof manifests>[0] = {}) =>
  manifests({ ...o, service: { ports: [{ port: 80, targetPort: 8080, ...port }] } });

testRule('long-lived-connections-outlast-grace', {
  valid: [
    { name: 'h2c alone is not a stream signal', text: withPort({ appProtocol: 'kubernetes.io/h2c' }) },
    { name: 'a port named like ws but only a prefix of another word', text: withPort({ name: 'wsgi' }) },
    { name: 'a read timeout the grace window holds', text: manifests({ extra: [ingress({ 'nginx.ingress.kubernetes.io/proxy-read-timeout': '25' })] }) },
    {
      name: 'the ALB default idle timeout is not a raised one',
      text: manifests({ extra: [ingress({ 'alb.ingress.kubernetes.io/load-balancer-attributes': 'deletion_protection.enabled=true' }, 'alb')] }),
    },
  ],
  invalid: [
    {
      name: 'a container port named ws behind an Ingress',
      text: withPort({ targetPort: 'ws' }, { containers: [{ ...APP, ports: [{ name: 'ws', containerPort: 8080 }] }], extra: [ingress()] }),
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
      text: manifests({ podSpec: { terminationGracePeriodSeconds: 600 }, extra: [ingress({ 'nginx.org/websocket-services': 'other, web' })] }),
      findings: [{ messageId: 'websocket', data: { signals: 'Ingress/web lists its Service in nginx.org/websocket-services', window: 600 } }],
    },
    {
      name: 'the longest raised timeout is reported, against the window after the preStop',
      text: manifests({
        containers: [{ ...APP, lifecycle: { preStop: { sleep: { seconds: 20 } } } }],
        podSpec: { terminationGracePeriodSeconds: 120 },
        extra: [ingress({ 'nginx.ingress.kubernetes.io/proxy-read-timeout': '90', 'nginx.ingress.kubernetes.io/proxy-send-timeout': '5m' })],
      }),
      findings: [
        {
          messageId: 'longTimeout',
          data: {
            origin: 'nginx.ingress.kubernetes.io/proxy-send-timeout: "5m"',
            ingress: 'Ingress/web',
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
