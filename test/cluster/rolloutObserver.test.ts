import { afterEach, describe, expect, it } from 'vitest';
import { fakeClusters, rejection, waitFor } from './cli.js';
import type { FakeOptions } from './fakeKubeApi.js';
import { KubeApiClient } from '../../src/cluster/apiClient.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { RESOURCES, resourcePath } from '../../src/cluster/resources.js';
import { RolloutObserver } from '../../src/cluster/rolloutObserver.js';
import { applyTrigger } from '../../src/cluster/rolloutPatch.js';
import { rolloutTrigger } from '../../src/cluster/rolloutTrigger.js';
import { EventStream } from '../../src/events/stream.js';
import type { ZerodropEvent } from '../../src/events/schema.js';
import type { KubeObject } from '../../src/k8s/objects.js';

const cluster = fakeClusters();
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

async function connect(options: FakeOptions = {}) {
  const { fake, kubeconfig } = await cluster(options);
  const client = new KubeApiClient(loadKubeconfig({ kubeconfig }));
  stops.push(() => client.close());
  const events = new EventStream('test');
  const seen: ZerodropEvent[] = [];
  events.subscribe((e) => seen.push(e));
  return { fake, client, events, seen };
}

async function observe(options: FakeOptions = {}) {
  const c = await connect(options);
  const observer = new RolloutObserver({ client: c.client, namespace: 'shop', deployment: 'web', podSelector: 'app=web', services: ['web'], events: c.events });
  await observer.start();
  observer.begin();
  stops.push(() => observer.stop());
  return { ...c, observer };
}

const podEvents = (seen: ZerodropEvent[], pod: string) => seen.filter((e) => e.type === 'pod' && e.pod === pod).map((e) => (e as { phase: string }).phase);
const notes = (seen: ZerodropEvent[]) => seen.filter((e) => e.type === 'note').map((e) => (e as { message: string }).message);

describe('RolloutObserver: what a label-selector watch really means', () => {
  it('a pod relabelled out of the selector and back is neither deleted nor created', async () => {
    const { fake, observer, seen } = await observe();
    const pod = 'web-6d4cf56db6-p1';
    fake.relabelPod(pod, { app: 'debug' });
    await waitFor(() => notes(seen).some((m) => m.includes('no longer matches')));
    fake.relabelPod(pod, { app: 'web' });
    await waitFor(() => notes(seen).some((m) => m.includes('started matching')));
    expect(podEvents(seen, pod)).toEqual([]);
    expect(notes(seen)).toEqual([
      `pod ${pod} no longer matches the Deployment's selector (relabelled): no longer followed, not counted as deleted`,
      `pod ${pod} started matching the Deployment's selector (relabelled, not created)`,
    ]);
    expect(observer.evidence()).toEqual({ oldPodsTerminated: 0, oldPodsGone: 0, newPodsReady: 0 });
  });

  it('a Pending pod deleted without a graceful phase is created, then deleted, and nothing waits for it', async () => {
    const { fake, observer, seen } = await observe();
    const pod = fake.addPendingPod();
    await waitFor(() => podEvents(seen, pod).includes('created'));
    fake.deletePodNow(pod);
    await waitFor(() => podEvents(seen, pod).includes('deleted'));
    expect(podEvents(seen, pod)).toEqual(['created', 'deleted']);
    expect(observer.drain(0).done).toBe(true);
  });

  it('a running pod force-deleted (no graceful phase) is confirmed gone and counted', async () => {
    const { fake, observer, seen } = await observe();
    fake.deletePodNow('web-6d4cf56db6-p2');
    await waitFor(() => podEvents(seen, 'web-6d4cf56db6-p2').includes('deleted'));
    expect(observer.evidence()).toMatchObject({ oldPodsTerminated: 1, oldPodsGone: 1 });
  });

  it('tracks pods seen terminating until they are gone, bounded by their grace period', async () => {
    const { client, events, observer } = await observe({ terminationMs: 60_000, graceSeconds: 7, terminatingReplicas: true });
    const deployment = await client.rawJson<KubeObject>({ verb: 'get', resource: RESOURCES.deployments }, resourcePath(RESOURCES.deployments, 'shop', 'web'));
    await applyTrigger(client, 'shop', 'web', rolloutTrigger(deployment, { kind: 'restart' }, new Date())!, events);
    await waitFor(() => observer.drain(0).pods.length === 2, 10_000);
    const drain = observer.drain(0);
    expect(drain.pods).toEqual(['web-6d4cf56db6-p1', 'web-6d4cf56db6-p2']);
    expect(drain.terminatingReplicas).toBe(2);
    // The later of the two: seen terminating + 7 s grace + the margin.
    expect(drain.deadline).toBeGreaterThan(events.now() + 6_000);
    expect(drain.deadline).toBeLessThan(events.now() + 13_000);
    expect(drain.done).toBe(false);
  });
});

describe('applyTrigger: the one PATCH, when the answer is late', () => {
  const web = async (client: KubeApiClient) =>
    client.rawJson<KubeObject>({ verb: 'get', resource: RESOURCES.deployments }, resourcePath(RESOURCES.deployments, 'shop', 'web'));

  it('a slow webhook: no answer in time, but the change shows on the server, so the run goes on', async () => {
    const { client, events, seen } = await connect({ patchDelayMs: 1200 });
    const trigger = rolloutTrigger(await web(client), { kind: 'restart' }, new Date())!;
    const patched = await applyTrigger(client, 'shop', 'web', trigger, events, { patchTimeoutMs: 300, patchConfirmMs: 5000 });
    expect(trigger.applied(patched)).toBe(true);
    expect(notes(seen)).toEqual([
      'the PATCH got no answer within 0.3 s (a slow admission webhook?); checking whether it was applied',
      'the change is on the server: the PATCH was applied after all',
    ]);
  });

  it('when the change does not show either, it says the server may still apply it, instead of "cannot reach"', async () => {
    const { client, events } = await connect({ patchDelayMs: 4000 });
    const trigger = rolloutTrigger(await web(client), { kind: 'restart' }, new Date())!;
    const err = await rejection(applyTrigger(client, 'shop', 'web', trigger, events, { patchTimeoutMs: 300, patchConfirmMs: 1000 }));
    expect(err.code).toBe('cluster-patch-unconfirmed');
    expect(err.message).toContain('the server may still apply it: check kubectl rollout status deployment/web -n shop');
  });
});
