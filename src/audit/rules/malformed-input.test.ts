import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { auditTextsRun } from '../testing.js';
import { allRules } from './index.js';

// Manifests written by hand or by templates carry wrong types; the API server would reject them,
// but the auditor must still report what it can instead of crashing a rule.
const weirdContainers: unknown[] = [
  { name: 'a', ports: '8080', readinessProbe: 'yes', livenessProbe: { httpGet: 'x' }, lifecycle: 'none' },
  { name: 'b', ports: [null, 8080, { containerPort: '80', hostPort: 'x' }], lifecycle: { preStop: { exec: { command: 'sleep 5' } } }, env: { A: 1 } },
  { name: 'c', lifecycle: { preStop: { sleep: { seconds: 'five' } } }, startupProbe: { tcpSocket: { port: null } }, args: 'x' },
  null,
  'not-a-container',
  { image: 42, lifecycle: { preStop: null, stopSignal: 15 } },
  { name: 'd', image: 'gcr.io/distroless/static', lifecycle: { preStop: { exec: { command: 'sleep 5' } } } },
];

const workloads = (kind: string) => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name: `weird-${kind.toLowerCase()}`, annotations: 'x' },
  spec: {
    replicas: 'three',
    minReadySeconds: '10',
    progressDeadlineSeconds: null,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '1', maxUnavailable: [1] } },
    updateStrategy: 'fast',
    selector: { matchLabels: { app: 'weird' } },
    template: {
      metadata: { labels: { app: 'weird' }, annotations: ['x'] },
      spec: { terminationGracePeriodSeconds: '30', volumes: { data: {} }, initContainers: 'none', containers: weirdContainers },
    },
  },
});

const others = [
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'weird' },
    spec: { selector: { app: 'weird' }, ports: [null, { port: 80, targetPort: 'http' }, 'x'], publishNotReadyAddresses: 'true' },
  },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'weird' },
    spec: { minAvailable: '1', selector: { matchLabels: { app: 'weird' } } },
  },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'weird-deployment' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'weird-deployment' }, minReplicas: 'two' },
  },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: 'ReadWriteOnce' } },
];

describe('rules on malformed objects', () => {
  it.each(
    ['Deployment', 'StatefulSet', 'DaemonSet', 'Pod'].flatMap((k) => [
      [k, '1.33'],
      [k, '1.28'],
    ]),
  )('no rule throws on a %s with wrong field types (Kubernetes %s)', (kind, version) => {
    const text = [workloads(kind), ...others].map((d) => stringify(d)).join('---\n');
    // testing.ts runs with debug: true, so a throwing rule fails this test with its stack.
    const run = auditTextsRun([{ file: 'weird.yaml', text }], { rules: [...allRules], settings: { kubernetesVersion: version } });
    expect(run.errors.filter((e) => /rule .* failed/.test(e.message))).toEqual([]);
  });
});
