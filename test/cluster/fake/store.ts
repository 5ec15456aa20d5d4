/**
 * The fake's object store: one global resourceVersion counter (as etcd's revision), the history
 * of changes a watch replays from, compaction (a watch from a version below it gets 410 Gone), and
 * paged lists with `limit`/`continue` served from a snapshot, as the API server does from etcd.
 */
import { apiVersionOf, FAKE_RESOURCES } from './resources.js';

export type Obj = Record<string, any>;
export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredChange {
  rv: number;
  resource: string;
  type: ChangeType;
  object: Obj;
  /** The stored object before a MODIFIED; a selector watch needs it to tell "stopped matching" from "changed". */
  previous?: Obj;
}

export const NAMESPACE = 'shop';

const keyOf = (o: Obj) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export class ObjectStore {
  rv = 1010;
  readonly history: StoredChange[] = [];
  private readonly objects = new Map<string, Map<string, Obj>>();
  private readonly compacted = new Map<string, number>();
  private readonly listeners = new Set<(change: StoredChange) => void>();
  private readonly snapshots = new Map<string, Obj[]>();
  private snapshotSeq = 0;

  constructor() {
    for (const r of Object.keys(FAKE_RESOURCES)) this.objects.set(r, new Map());
  }

  onChange(listener: (change: StoredChange) => void): void {
    this.listeners.add(listener);
  }

  /** Stores an object (ADDED when new, MODIFIED otherwise, unless told) and tells every listener. */
  put(resource: string, object: Obj, type?: ChangeType): Obj {
    const info = FAKE_RESOURCES[resource]!;
    const full: Obj = { kind: info.kind, apiVersion: apiVersionOf(info), ...structuredClone(object) };
    const key = keyOf(full);
    const map = this.objects.get(resource)!;
    const previous = map.get(key);
    const kind: ChangeType = type ?? (previous ? 'MODIFIED' : 'ADDED');
    this.rv++;
    full.metadata.resourceVersion = String(this.rv);
    if (kind === 'DELETED') map.delete(key);
    else map.set(key, full);
    const change: StoredChange = { rv: this.rv, resource, type: kind, object: full, ...(previous && kind === 'MODIFIED' ? { previous } : {}) };
    this.history.push(change);
    for (const l of this.listeners) l(change);
    return full;
  }

  remove(resource: string, name: string): Obj | undefined {
    const current = this.objects.get(resource)!.get(`${NAMESPACE}/${name}`);
    return current ? this.put(resource, current, 'DELETED') : undefined;
  }

  has(resource: string, name: string): boolean {
    return this.objects.get(resource)!.has(`${NAMESPACE}/${name}`);
  }

  /** A copy of the stored object (tests and the controller edit copies, then put them back). */
  get(resource: string, name: string, namespace = NAMESPACE): Obj {
    const found = this.objects.get(resource)!.get(`${namespace}/${name}`);
    if (!found) throw new Error(`fake store: no ${resource} ${namespace}/${name}`);
    return structuredClone(found);
  }

  find(resource: string, key: string): Obj | undefined {
    return this.objects.get(resource)?.get(key);
  }

  all(resource: string): Obj[] {
    return [...this.objects.get(resource)!.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  }

  /**
   * One page of a list. The first page fixes a snapshot that later pages continue from, so a
   * paged list is consistent at one resourceVersion, as on a real server.
   */
  page(
    resource: string,
    matches: (o: Obj) => boolean,
    limit: number | undefined,
    token: string | undefined,
  ): { items: Obj[]; continue?: string; remaining?: number } | 'expired' {
    let items: Obj[];
    let start = 0;
    let id: string;
    if (token) {
      const [snap, offset] = Buffer.from(token, 'base64url').toString('utf8').split(':');
      const saved = this.snapshots.get(snap ?? '');
      if (!saved) return 'expired';
      items = saved;
      start = Number(offset);
      id = snap!;
    } else {
      items = this.all(resource).filter(matches);
      id = String(++this.snapshotSeq);
    }
    if (!limit || start + limit >= items.length) {
      this.snapshots.delete(id);
      return { items: items.slice(start) };
    }
    this.snapshots.set(id, items);
    const next = start + limit;
    return { items: items.slice(start, next), continue: Buffer.from(`${id}:${next}`).toString('base64url'), remaining: items.length - next };
  }

  /** Forgets every saved list snapshot: continue tokens issued so far answer 410 Expired. */
  expireContinueTokens(): void {
    this.snapshots.clear();
  }

  /** Etcd compaction: every version of `resource` before the current one is gone for watches (a fresh list can still be watched from). */
  compact(resource: string): void {
    this.compacted.set(resource, this.rv);
  }

  compactedBelow(resource: string): number {
    return this.compacted.get(resource) ?? 0;
  }

  /** Deletes an object without telling any listener, then compacts, as if a watch missed it entirely. */
  deleteUnseen(resource: string, name: string): void {
    this.rv++;
    this.objects.get(resource)!.delete(`${NAMESPACE}/${name}`);
    this.compact(resource);
  }
}
