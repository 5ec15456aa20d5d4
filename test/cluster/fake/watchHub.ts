/**
 * Watches, as the API server's watch cache serves them (k8s.io/apiserver pkg/storage/cacher):
 * headers are flushed at once and events follow one JSON object per line; a watch replays the
 * history after its resourceVersion; a version below the compaction point ends the stream with one
 * ERROR event carrying a 410 Status (or, optionally, an HTTP 410); bookmarks carry only the kind
 * and the resourceVersion; `timeoutSeconds` ends the stream cleanly. A selector watch sends ADDED
 * when an object starts matching and DELETED, with its previous content, when it stops matching
 * (cache_watcher.go, convertToWatchEvent).
 *
 * Faults real servers produce, on request: a watch closed at once with no event (a shutting-down
 * apiserver, or the cacher's immediate-close watcher), a watch that goes silent with its socket
 * open (a dead connection nobody has noticed), and a socket reset.
 */
import type http from 'node:http';
import { fixture } from './fixtures.js';
import { apiVersionOf, FAKE_RESOURCES } from './resources.js';
import type { ObjectStore, Obj, StoredChange } from './store.js';

export interface WatchFault {
  resource: string;
  /** close: ends at once with no event; stall: goes silent, socket open; reset: socket destroyed; slow: answers only after afterMs. */
  mode: 'close' | 'stall' | 'reset' | 'slow';
  /** How many watches of this resource get the fault (then watches work again). */
  times: number;
  /** stall/reset: after how long the watch fails; slow: how long the answer takes. */
  afterMs?: number;
}

interface Watcher {
  resource: string;
  matches: (o: Obj) => boolean;
  res: http.ServerResponse;
  stalled: boolean;
}

export interface WatchHubOptions {
  bookmarkIntervalMs: number;
  goneAs: 'event' | 'http';
  faults: WatchFault[];
}

/** The event a watcher with this selector sees for one stored change, if any. */
export function eventFor(change: StoredChange, matches: (o: Obj) => boolean): { type: string; object: Obj } | undefined {
  const now = change.type !== 'DELETED' && matches(change.object);
  const before = change.type === 'DELETED' ? matches(change.object) : change.previous !== undefined && matches(change.previous);
  if (change.type === 'DELETED') return before ? { type: 'DELETED', object: change.object } : undefined;
  if (now && (before || change.type === 'ADDED')) return { type: change.type, object: change.object };
  if (now) return { type: 'ADDED', object: change.object };
  if (before) {
    const last = structuredClone(change.previous!);
    last.metadata.resourceVersion = change.object.metadata.resourceVersion;
    return { type: 'DELETED', object: last };
  }
  return undefined;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: ObjectStore,
    private readonly options: WatchHubOptions,
  ) {
    store.onChange((change) => {
      for (const w of this.watchers) {
        if (w.resource !== change.resource || w.stalled) continue;
        const event = eventFor(change, w.matches);
        if (event) w.res.write(`${JSON.stringify(event)}\n`);
      }
    });
  }

  /** Faults for watches opened from now on. */
  addFault(fault: WatchFault): void {
    this.options.faults.push(fault);
  }

  open(resource: string, matches: (o: Obj) => boolean, query: Record<string, string>, res: http.ServerResponse): void {
    const slow = this.options.faults.find((f) => f.resource === resource && f.mode === 'slow' && f.times > 0);
    if (slow) {
      slow.times--;
      const t = setTimeout(() => this.open(resource, matches, query, res), slow.afterMs ?? 0);
      this.timers.add(t);
      return;
    }
    const from = Number(query.resourceVersion ?? '0');
    const compacted = this.store.compactedBelow(resource);
    if (from < compacted && this.options.goneAs === 'http') {
      res.writeHead(410, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...fixture<Obj>('status-410-expired.json'), message: `too old resource version: ${from} (${compacted})` }));
      return;
    }
    // The API server answers a watch at once and streams events later.
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    if (from < compacted) {
      res.end(
        `${JSON.stringify({ type: 'ERROR', object: { ...fixture<Obj>('status-410-expired.json'), message: `too old resource version: ${from} (${compacted})` } })}\n`,
      );
      return;
    }
    const fault = this.options.faults.find((f) => f.resource === resource && f.mode !== 'slow' && f.times > 0);
    if (fault) fault.times--;
    if (fault?.mode === 'close') {
      res.end();
      return;
    }
    for (const h of this.store.history) {
      if (h.resource !== resource || h.rv <= from) continue;
      const event = eventFor(h, matches);
      if (event) res.write(`${JSON.stringify(event)}\n`);
    }
    const watcher: Watcher = { resource, matches, res, stalled: false };
    this.watchers.add(watcher);
    const info = FAKE_RESOURCES[resource]!;
    const bookmarks =
      query.allowWatchBookmarks === 'true'
        ? setInterval(() => {
            if (watcher.stalled) return;
            const object = { kind: info.kind, apiVersion: apiVersionOf(info), metadata: { resourceVersion: String(this.store.rv) } };
            res.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
          }, this.options.bookmarkIntervalMs)
        : undefined;
    const timeout = query.timeoutSeconds ? setTimeout(() => res.end(), Number(query.timeoutSeconds) * 1000) : undefined;
    if (fault) {
      const t = setTimeout(() => {
        if (fault.mode === 'stall') watcher.stalled = true;
        else res.socket?.destroy();
      }, fault.afterMs ?? 0);
      this.timers.add(t);
    }
    res.on('close', () => {
      this.watchers.delete(watcher);
      if (bookmarks) clearInterval(bookmarks);
      if (timeout) clearTimeout(timeout);
    });
  }

  /** Etcd compaction under open watches: each ends with a 410 ERROR event and must re-list. */
  expire(resource: string): void {
    this.store.compact(resource);
    for (const w of [...this.watchers]) {
      if (w.resource !== resource) continue;
      w.res.end(`${JSON.stringify({ type: 'ERROR', object: fixture('status-410-expired.json') })}\n`);
      this.watchers.delete(w);
    }
  }

  openCount(resource: string): number {
    return [...this.watchers].filter((w) => w.resource === resource).length;
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }
}
