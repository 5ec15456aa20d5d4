import { afterEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi, FakeOptions } from './fakeKubeApi.js';
import { fakeClusters, waitFor } from './cli.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { KubeApiClient } from '../../src/cluster/apiClient.js';
import { ListWatch, WATCH_IDLE_MS, type ListWatchOptions, type ObjectChange } from '../../src/cluster/listWatch.js';
import { RESOURCES } from '../../src/cluster/resources.js';

const cluster = fakeClusters({ bookmarkIntervalMs: 100 });
// afterEach hooks run in reverse order of registration (vitest's default 'stack'): the watch
// stops before its server closes, so it never sees the server vanish.
let watch: ListWatch | undefined;
const clients: KubeApiClient[] = [];
afterEach(async () => {
  await watch?.stop();
  watch = undefined;
  for (const c of clients.splice(0)) await c.close();
});

async function podWatch(options: FakeOptions = {}, idleMs?: number, extra: Partial<ListWatchOptions> = {}) {
  const { fake, kubeconfig } = await cluster(options);
  const client = new KubeApiClient(loadKubeconfig({ kubeconfig }));
  clients.push(client);
  const changes: ObjectChange[] = [];
  // timeoutSeconds 1: the server ends each watch after a second, as real servers do after minutes.
  watch = new ListWatch(
    client,
    {
      resource: RESOURCES.pods,
      namespace: 'shop',
      labelSelector: 'app=web',
      timeoutSeconds: idleMs === undefined ? 1 : 3600,
      ...(idleMs === undefined ? {} : { idleMs }),
      ...extra,
    },
    (c) => changes.push(c),
  );
  const initial = await watch.start();
  return { fake, watch, changes, initial };
}

const podWatchRequests = (f: FakeKubeApi) => f.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods' && r.query.watch === 'true');
const podListRequests = (f: FakeKubeApi) => f.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods' && r.query.watch === undefined);
/** When each pod watch request arrived, in ms since the first. */
const arrivals = (f: FakeKubeApi) => {
  const times = f.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods' && r.query.watch === 'true').map((r) => r.at);
  return times.map((t) => t - times[0]!);
};
const FAST_BACKOFF = { backoff: { baseMs: 100, capMs: 400 } };

describe('ListWatch', () => {
  it('lists, then watches from the list resourceVersion with bookmarks allowed', async () => {
    const { fake, initial } = await podWatch();
    expect(initial.map((p) => p.kind)).toEqual(['Pod', 'Pod']);
    const [first] = podWatchRequests(fake);
    expect(first!.query).toMatchObject({
      watch: 'true',
      allowWatchBookmarks: 'true',
      labelSelector: 'app=web',
      resourceVersion: String(fake.currentResourceVersion()),
    });
  });

  it('after the server ends a watch, resumes from the newest bookmark, not the list version', async () => {
    const { fake, watch } = await podWatch();
    const listed = Number(podWatchRequests(fake)[0]!.query.resourceVersion);
    fake.touchService(); // moves the global resourceVersion without touching pods
    await waitFor(() => watch.stats.bookmarks > 0 && podWatchRequests(fake).length >= 2);
    const resumed = Number(podWatchRequests(fake)[1]!.query.resourceVersion);
    expect(resumed).toBeGreaterThan(listed);
    expect(fake.count('GET', '/api/v1/namespaces/shop/pods', false)).toBe(1); // no re-list needed
  });

  it.each(['event', 'http'] as const)('on 410 Gone (as %s) re-lists and reports what changed meanwhile', async (goneAs) => {
    const { fake, watch, changes } = await podWatch({ goneAs, bookmarkIntervalMs: 10_000 });
    // Compaction makes the watch's version too old; a pod vanishes while no watch is open to see it.
    fake.deleteUnseen('pods', 'web-6d4cf56db6-p1');
    await waitFor(() => watch.stats.gone >= 1 && changes.some((c) => c.type === 'DELETED'), 8000);
    const deleted = changes.find((c) => c.type === 'DELETED')!;
    expect(deleted).toMatchObject({ fromRelist: true, object: { metadata: { name: 'web-6d4cf56db6-p1' } } });
    expect(watch.objects().map((p) => p.metadata?.name)).toEqual(['web-6d4cf56db6-p2']);
    expect(watch.stats.lists).toBeGreaterThanOrEqual(2);
    expect(watch.failure).toBeUndefined();
  });

  it('a watch that goes silent (dead connection, no bookmarks) is ended and reopened', async () => {
    const { fake, watch } = await podWatch({ bookmarkIntervalMs: 3_600_000 }, 400);
    await waitFor(() => podWatchRequests(fake).length >= 2, 8000);
    expect(watch.failure).toBeUndefined();
    expect(fake.count('GET', '/api/v1/namespaces/shop/pods', false)).toBe(1);
  });

  it('waits out 429 Too Many Requests with Retry-After while the watch cache starts (1.31+), instead of failing', async () => {
    const { fake, watch } = await podWatch({ throttle: [{ verb: 'watch', resource: 'pods', times: 2, retryAfterSeconds: 1 }] });
    const at = arrivals(fake);
    expect(at).toHaveLength(3);
    expect(at[1]!).toBeGreaterThanOrEqual(950);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(950);
    expect(watch.failure).toBeUndefined();
    expect(watch.stats.failures).toBe(2);
  });

  it('a server that closes every watch at once gets a growing, jittered backoff, not a hot loop', async () => {
    const { fake, watch } = await podWatch({ watchFaults: [{ resource: 'pods', mode: 'close', times: 1000 }] }, undefined, FAST_BACKOFF);
    await new Promise((r) => setTimeout(r, 1500));
    const at = arrivals(fake);
    // 100, 200, 400, 400, ... ms (each jittered into [d/2, d]): a handful, where a loop without backoff sends thousands.
    expect(at.length).toBeGreaterThanOrEqual(4);
    expect(at.length).toBeLessThanOrEqual(12);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(gaps[0]!).toBeGreaterThanOrEqual(45);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(195);
    expect(watch.failure).toBeUndefined();
    expect(watch.down?.reason).toMatch(/^the API server closed the watch after \d+ ms without an event$/);
  });

  it('after a reset connection it re-watches from where it was, and the outage is counted', async () => {
    const { fake, watch, changes } = await podWatch({ watchFaults: [{ resource: 'pods', mode: 'reset', times: 1, afterMs: 100 }] }, undefined, FAST_BACKOFF);
    await waitFor(() => podWatchRequests(fake).length >= 2, 5000);
    fake.relabelPod('web-6d4cf56db6-p1', { touched: 'yes' });
    await waitFor(() => changes.length > 0, 5000);
    expect(changes[0]).toMatchObject({ type: 'MODIFIED', fromRelist: false });
    expect(watch.stats.failures).toBe(1);
    expect(watch.down).toBeUndefined();
    expect(podListRequests(fake)).toHaveLength(1);
  });

  it('notices a silently dead watch within a bookmark interval by default', () => {
    // Servers send a bookmark about once a minute; 360 s of silence (the old limit) would lose six.
    expect(WATCH_IDLE_MS).toBeGreaterThan(60_000);
    expect(WATCH_IDLE_MS).toBeLessThanOrEqual(90_000);
  });

  it('a watch that stalls with its socket open is ended by the watchdog and re-opened', async () => {
    const { fake, watch } = await podWatch(
      { bookmarkIntervalMs: 100, watchFaults: [{ resource: 'pods', mode: 'stall', times: 1, afterMs: 150 }] },
      600,
      FAST_BACKOFF,
    );
    await waitFor(() => podWatchRequests(fake).length >= 2, 5000);
    expect(watch.stats.failures).toBe(1);
    expect(watch.failure).toBeUndefined();
  });

  it('lists in pages with limit and continue, and starts over unpaged when a continue token expired', async () => {
    const { fake, initial } = await podWatch({}, undefined, { pageSize: 1 });
    expect(initial.map((p) => p.metadata?.name)).toEqual(['web-6d4cf56db6-p1', 'web-6d4cf56db6-p2']);
    expect(podListRequests(fake).map((r) => [r.query.limit, r.query.continue !== undefined])).toEqual([
      ['1', false],
      ['1', true],
    ]);
    await watch!.stop();
    const expired = await podWatch({ expireContinue: true }, undefined, { pageSize: 1 });
    expect(expired.initial).toHaveLength(2);
    expect(podListRequests(expired.fake).map((r) => [r.query.limit, r.query.continue !== undefined])).toEqual([
      ['1', false],
      ['1', true],
      [undefined, false],
    ]);
  });

  it('a refusal (RBAC revoked mid-run) ends the watch for good with the RBAC message', async () => {
    const { fake, watch } = await podWatch({}, undefined, FAST_BACKOFF);
    fake.forbid('watch', 'pods');
    fake.expireWatches('pods');
    await waitFor(() => watch.failure !== undefined, 5000);
    expect(watch.failure!.message).toContain('forbidden: cannot watch pods in namespace "shop"');
  });

  it('stopped while a re-watch waits for its answer, it leaves no watch open behind', async () => {
    const { fake, watch } = await podWatch({}, 60_000, FAST_BACKOFF);
    fake.addWatchFault({ resource: 'pods', mode: 'slow', times: 1, afterMs: 300 });
    fake.expireWatches('pods');
    await waitFor(() => podListRequests(fake).length === 2);
    await watch.stop();
    await new Promise((r) => setTimeout(r, 800));
    expect(fake.openWatches('pods')).toBe(0);
  });
});
