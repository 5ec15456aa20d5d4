import { APP, manifests } from './fixtures/manifests.js';
import { testRule } from './fixtures/ruleTester.js';

// docs/reference/probes.md#fields-and-defaults: no readiness probe means Ready at once; docs/reference/linters.md#known-defects: a probe on a sidecar hides the app's missing probe.
const probe = { tcpSocket: { port: 8080 } };
const probePatch = (name: string, port: number) => ({
  spec: { template: { spec: { containers: [{ name, readinessProbe: { tcpSocket: { port }, periodSeconds: 5, failureThreshold: 3 } }] } } },
});

testRule('readiness-probe-missing', {
  valid: [
    { name: 'probe present', text: manifests({ containers: [{ ...APP, readinessProbe: probe }] }) },
    {
      name: 'native sidecars and init containers are not checked',
      text: manifests({
        initContainers: [
          { name: 'migrate', image: 'example/migrate:1' },
          { name: 'agent', image: 'example/agent:1', restartPolicy: 'Always' },
        ],
        containers: [{ ...APP, readinessProbe: probe }],
      }),
    },
    {
      name: 'a known proxy sidecar in containers is left to sidecar-exits-first',
      text: manifests({
        containers: [
          { ...APP, readinessProbe: probe },
          { name: 'cloud-sql-proxy', image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0' },
        ],
      }),
    },
    {
      name: 'a CronJob is never serving (Datree flagged nested pod templates)',
      text:
        manifests({ service: { selector: { app: 'web' } } }).split('---\n')[0] +
        '---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels:\n            app: web\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: job\n              image: example/job:1\n              ports:\n                - containerPort: 8080\n',
    },
    { name: 'a Job is never serving', text: manifests({ kind: 'Job', apiVersion: 'batch/v1', replicas: null, podSpec: { restartPolicy: 'Never' } }) },
    {
      name: 'a named targetPort no container declares gives the pod no endpoint, so it is not serving',
      text: manifests({ containers: [{ name: 'app', image: 'example/web:1.0' }], service: { ports: [{ port: 80, targetPort: 'http' }] } }),
    },
  ],
  invalid: [
    {
      name: 'serving app without a readiness probe; the fix probes the declared port',
      text: manifests(),
      findings: [
        {
          messageId: 'noReadinessProbe',
          line: 27,
          container: 'app',
          data: { servingReason: 'served through ClusterIP Service web port 80 (its callers are not in the input)', port: 8080 },
          fix: 'add a readinessProbe, e.g. tcpSocket on port 8080 (better: httpGet on a health endpoint that fails when the app cannot serve)',
          patch: probePatch('app', 8080),
        },
      ],
    },
    {
      name: 'no declared port, the Service targetPort is the known port (the seed nginx)',
      text: manifests({ containers: [{ name: 'nginx', image: 'nginx' }], service: { ports: [{ port: 80, targetPort: 80 }] } }),
      findings: [{ messageId: 'noReadinessProbe', line: 27, container: 'nginx', data: { port: 80 }, patch: probePatch('nginx', 80) }],
    },
    {
      name: 'no TCP port known (a UDP server): advice without a machine fix',
      text: manifests({
        containers: [{ name: 'app', image: 'example/dns:1.0', ports: [{ name: 'dns', containerPort: 5353, protocol: 'UDP' }] }],
        service: { ports: [{ port: 53, targetPort: 'dns', protocol: 'UDP' }] },
      }),
      findings: [{ messageId: 'noReadinessProbe', line: 28, container: 'app', fixId: 'addProbe' }],
    },
    {
      name: 'a probe on a sidecar container does not cover the app',
      text: manifests({ containers: [APP, { name: 'metrics', image: 'example/exporter:1', readinessProbe: { tcpSocket: { port: 9100 } } }] }),
      findings: [{ messageId: 'noReadinessProbe', line: 27, container: 'app', patch: probePatch('app', 8080) }],
    },
    {
      name: 'a pod that runs only Envoy is a gateway, not a sidecar',
      text: manifests({ containers: [{ name: 'envoy', image: 'envoyproxy/envoy:v1.30', ports: [{ containerPort: 8080 }] }] }),
      findings: [{ messageId: 'noReadinessProbe', line: 27, container: 'envoy', patch: probePatch('envoy', 8080) }],
    },
  ],
});
