import { afterEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi, FakeOptions } from './fakeKubeApi.js';
import { fakeClusters, waitFor } from './cli.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { KubeApiClient } from '../../src/cluster/apiClient.js';
import { ListWatch, type ObjectChange } from '../../src/cluster/listWatch.js';
import { RESOURCES } from '../../src/cluster/resources.js';

const cluster = fakeClusters({ bookmarkIntervalMs: 100 });
// afterEach hooks run in reverse order of registration (vitest's default 'stack'): the watch
// stops before its server closes, so it never sees the server vanish.
let watch: ListWatch | undefined;
afterEach(async () => {
  await watch?.stop();
  watch = undefined;
});

async function podWatch(options: FakeOptions = {}, idleMs?: number) {
  const { fake, kubeconfig } = await cluster(options);
  const client = new KubeApiClient(loadKubeconfig({ kubeconfig }));
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
    },
    (c) => changes.push(c),
  );
  const initial = await watch.start();
  return { fake, watch, changes, initial };
}

const podWatchRequests = (f: FakeKubeApi) => f.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods' && r.query.watch === 'true');

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
});
