import { describe, expect, it } from 'vitest';
import { isCoreService, type KubeObject } from './objects.js';
import { cloudRunMarker, isKnativeService, knativeClusterConfig, knativeRevisionOf } from './knative.js';

const ksvc = (template: Record<string, unknown>): KubeObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { template },
});

// docs/reference/knative.md: the facts below are read at knative/serving @ 98e5ef9.
describe('knativeRevisionOf', () => {
  it('is a Knative Service, not a core one', () => {
    const o = ksvc({ spec: { containers: [{ image: 'x' }] } });
    expect([isKnativeService(o), isCoreService(o)]).toEqual([true, false]);
    expect(knativeRevisionOf({ apiVersion: 'v1', kind: 'Service', spec: { template: {} } })).toBeUndefined();
  });

  it('defaults timeoutSeconds to 300, and treats 0 as unset (revision_defaults.go SetDefaults)', () => {
    expect(knativeRevisionOf(ksvc({ spec: {} }))!.timeoutSeconds).toEqual({ value: 300, source: 'knative-default' });
    expect(knativeRevisionOf(ksvc({ spec: { timeoutSeconds: 0 } }))!.timeoutSeconds.value).toBe(300);
    expect(knativeRevisionOf(ksvc({ spec: { timeoutSeconds: 45 } }))!.timeoutSeconds).toEqual({
      value: 45,
      path: ['spec', 'template', 'spec', 'timeoutSeconds'],
      source: 'written',
    });
  });

  it('takes the cluster default from config-defaults in knative-serving', () => {
    const cluster = knativeClusterConfig([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config-defaults', namespace: 'knative-serving' }, data: { 'revision-timeout-seconds': '120' } },
    ]);
    expect(knativeRevisionOf(ksvc({ spec: {} }), cluster)!.timeoutSeconds).toEqual({ value: 120, source: 'cluster-config' });
  });

  it('reads min-scale before the legacy minScale (register.go KeyPriority)', () => {
    const r = knativeRevisionOf(
      ksvc({ metadata: { annotations: { 'autoscaling.knative.dev/minScale': '3', 'autoscaling.knative.dev/min-scale': '1' } }, spec: {} }),
    )!;
    expect([r.minScale.value, r.minScale.key]).toEqual([1, 'autoscaling.knative.dev/min-scale']);
  });

  it('scales to zero with the KPA class and min-scale 0, never with the HPA class or enable-scale-to-zero false', () => {
    expect(knativeRevisionOf(ksvc({ spec: {} }))!.scalesToZero).toBe(true);
    expect(
      knativeRevisionOf(ksvc({ metadata: { annotations: { 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev' } }, spec: {} }))!.scalesToZero,
    ).toBe(false);
    expect(knativeRevisionOf(ksvc({ spec: {} }), { enableScaleToZero: false })!.scalesToZero).toBe(false);
    expect(knativeRevisionOf(ksvc({ metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '2' } }, spec: {} }))!.scalesToZero).toBe(false);
  });

  it('reads the operator’s KnativeServing spec.config', () => {
    const cluster = knativeClusterConfig([
      {
        apiVersion: 'operator.knative.dev/v1beta1',
        kind: 'KnativeServing',
        metadata: { name: 'ks' },
        spec: { config: { autoscaler: { 'enable-scale-to-zero': 'false', 'min-scale': '1' } } },
      },
    ]);
    expect(cluster).toEqual({ autoscalerFrom: 'KnativeServing ks', enableScaleToZero: false, minScale: 1 });
  });

  it('is not Knative’s revision on Cloud Run, which serves the same API without queue-proxy', () => {
    const run: KubeObject = {
      ...ksvc({ spec: { timeoutSeconds: 10 } }),
      metadata: { name: 'web', labels: { 'cloud.googleapis.com/location': 'europe-west1' } },
    };
    expect(cloudRunMarker(run)).toBe('cloud.googleapis.com/location');
    expect(knativeRevisionOf(run)).toBeUndefined();
    expect(knativeRevisionOf(ksvc({ metadata: { annotations: { 'run.googleapis.com/startup-cpu-boost': 'true' } }, spec: {} }))).toBeUndefined();
  });
});
