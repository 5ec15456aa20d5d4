import { stringify } from 'yaml';
import { testRule } from './fixtures/ruleTester.js';

const configMap = (corefile: string, metadata: Record<string, unknown> = { name: 'coredns', namespace: 'kube-system' }) =>
  stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { Corefile: corefile } });

const server = (health: string) => `.:53 {\n    errors\n${health}    kubernetes cluster.local\n    forward . /etc/resolv.conf\n}\n`;

testRule('coredns-lameduck-missing', {
  valid: [
    { name: 'lameduck 5s on the default propagation', text: configMap(server('    health {\n        lameduck 5s\n    }\n')) },
    { name: 'lameduck in minutes', text: configMap(server('    health :8080 {\n        lameduck 1m\n    }\n')) },
    {
      name: 'lameduck in a second server block applies to the process',
      text: configMap(`${server('')}example.org {\n    health {\n        lameduck 10s\n    }\n}\n`),
    },
    {
      name: 'a commented-out plugin does not count either way',
      text: configMap(server('    # health\n    health {\n        lameduck 6s # longer than propagation\n    }\n')),
    },
    { name: 'a ConfigMap with another name and no CoreDNS mounting it', text: configMap(server('    health\n'), { name: 'dns-notes' }) },
    { name: 'a ConfigMap without a Corefile', text: stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns' }, data: { other: 'x' } }) },
  ],
  invalid: [
    {
      name: 'health without options on the cluster DNS',
      text: configMap(server('    health\n')),
      findings: [
        {
          messageId: 'noLameduck',
          line: 7,
          data: { where: 'its health plugin (Corefile line 3) sets no lameduck', clients: 'pods across the cluster', server: 'CoreDNS' },
          fix: 'in one server block (it applies to the whole process) write `health {` / `lameduck 5s` / `}`, and keep terminationGracePeriodSeconds above it',
        },
      ],
    },
    {
      name: 'a health block with other options only',
      text: configMap(server('    health {\n    }\n')),
      findings: [{ messageId: 'noLameduck', data: { where: 'its health plugin (Corefile line 3) sets no lameduck' } }],
    },
    {
      name: 'lameduck 2s is shorter than the default 5 s propagation',
      text: configMap(server('    health {\n        lameduck 2s\n    }\n')),
      findings: [{ messageId: 'lameduckShort', data: { lameduck: '2s', line: 4, propagationSeconds: 5 }, fixId: 'raiseLameduck' }],
    },
    {
      name: 'lameduck 5s with a slower traffic path',
      text: configMap(server('    health {\n        lameduck 5s\n    }\n')),
      settings: { propagationSeconds: 15 },
      findings: [
        {
          messageId: 'lameduckShort',
          data: { lameduck: '5s', propagationSeconds: 15, suggestedSeconds: 15 },
          fix: 'raise lameduck to at least 15s, and keep terminationGracePeriodSeconds above it',
        },
      ],
    },
  ],
});
