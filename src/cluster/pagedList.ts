import type { KubeObject } from '../k8s/objects.js';
import { KubeApiError, type ApiCall } from './apiErrors.js';
import type { KubeApiClient, Query } from './apiClient.js';

/** Items per page, as kubectl get asks for (its --chunk-size default). */
export const PAGE_SIZE = 500;

interface ObjectList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

/**
 * A whole list, fetched in pages with `limit` and `continue` (API concepts, "Retrieving large
 * results sets in chunks"), so a cluster-wide list is never one huge response. A continue token
 * that expired meanwhile (410: its revision was compacted) restarts the list unpaged, as
 * client-go's pager does.
 */
export async function listAllPages(
  client: KubeApiClient,
  call: ApiCall,
  path: string,
  query: Query = {},
  pageSize = PAGE_SIZE,
): Promise<{ resourceVersion: string; items: KubeObject[] }> {
  const items: KubeObject[] = [];
  let token: string | undefined;
  let paged = true;
  for (;;) {
    let page: ObjectList;
    try {
      page = await client.rawJson<ObjectList>(call, path, {
        query: { ...query, ...(paged ? { limit: pageSize } : {}), ...(token ? { continue: token } : {}) },
        timeoutMs: 30_000,
      });
    } catch (err) {
      if (token && err instanceof KubeApiError && err.statusCode === 410) {
        items.length = 0;
        token = undefined;
        paged = false;
        continue;
      }
      throw err;
    }
    items.push(...(page.items ?? []));
    token = page.metadata?.continue || undefined;
    if (!token) return { resourceVersion: page.metadata?.resourceVersion ?? '', items };
  }
}
