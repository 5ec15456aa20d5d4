import { APP, manifests } from './fixtures/manifests.js';
import { describeCases, describeFixtures } from './fixtures/expectations.js';

// kubernetes-semantics §2.1: no readiness probe means Ready at once; linter-landscape §6: a probe on a sidecar hides the app's missing probe.
describeFixtures('readiness-probe-missing');

const probe = { tcpSocket: { port: 8080 } };
describeCases('readiness-probe-missing', [
  {
    name: 'invalid: serving app without a readiness probe; the fix probes the declared port',
    yaml: manifests(),
    expected: [
      {
        container: 'app',
        message: /container "app" has no readinessProbe: .*Ready the moment it starts \(§2\.1\).*\(selected by Service web\)/,
        fix: /tcpSocket on port 8080/,
        patch: { spec: { template: { spec: { containers: [{ name: 'app', readinessProbe: { tcpSocket: { port: 8080 } } }] } } } },
      },
    ],
  },
  {
    name: 'invalid: no declared port, the Service targetPort is the known port (the seed nginx)',
    yaml: manifests({ containers: [{ name: 'nginx', image: 'nginx' }], service: { ports: [{ port: 80, targetPort: 80 }] } }),
    expected: [
      {
        container: 'nginx',
        message: /"nginx" has no readinessProbe/,
        patch: { spec: { template: { spec: { containers: [{ name: 'nginx', readinessProbe: { tcpSocket: { port: 80 } } }] } } } },
      },
    ],
  },
  {
    name: 'invalid: a probe on a sidecar container does not cover the app',
    yaml: manifests({ containers: [APP, { name: 'metrics', image: 'example/exporter:1', readinessProbe: { tcpSocket: { port: 9100 } } }] }),
    expected: [{ container: 'app', message: /"app" has no readinessProbe/ }],
  },
  {
    name: 'invalid: a pod that runs only Envoy is a gateway, not a sidecar',
    yaml: manifests({ containers: [{ name: 'envoy', image: 'envoyproxy/envoy:v1.30', ports: [{ containerPort: 8080 }] }] }),
    expected: [{ container: 'envoy', message: /"envoy" has no readinessProbe/ }],
  },
  { name: 'valid: probe present', yaml: manifests({ containers: [{ ...APP, readinessProbe: probe }] }), expected: [] },
  {
    name: 'valid: native sidecars and init containers are not checked',
    yaml: manifests({
      initContainers: [
        { name: 'migrate', image: 'example/migrate:1' },
        { name: 'agent', image: 'example/agent:1', restartPolicy: 'Always' },
      ],
      containers: [{ ...APP, readinessProbe: probe }],
    }),
    expected: [],
  },
  {
    name: 'valid: a known proxy sidecar in containers is left to sidecar-exits-first',
    yaml: manifests({
      containers: [
        { ...APP, readinessProbe: probe },
        { name: 'cloud-sql-proxy', image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0' },
      ],
    }),
    expected: [],
  },
  {
    name: 'valid: a CronJob is never serving (Datree flagged nested pod templates)',
    yaml:
      manifests({ service: { selector: { app: 'web' } } }).split('---\n')[0] +
      '---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels:\n            app: web\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: job\n              image: example/job:1\n              ports:\n                - containerPort: 8080\n',
    expected: [],
  },
  {
    name: 'valid: a Job is never serving',
    yaml: manifests({ kind: 'Job', apiVersion: 'batch/v1', replicas: null, podSpec: { restartPolicy: 'Never' } }),
    expected: [],
  },
]);
