import { ZerodropError } from '../errors.js';
import type { KubeObject } from '../k8s/objects.js';
import { KubeApiError, type ApiCall } from './apiErrors.js';
import type { KubeApiClient, RawWatchEvent, WatchHandle } from './apiClient.js';
import { listAllPages } from './pagedList.js';
import { apiVersionOf, resourcePath, type ResourceRef } from './resources.js';
import { WatchBackoff } from './watchBackoff.js';

export interface ListWatchOptions {
  resource: ResourceRef;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Asks the server to end each watch after this long; the loop then re-watches from the last resourceVersion. */
  timeoutSeconds?: number;
  /** Silence after which a watch counts as dead (default WATCH_IDLE_MS). */
  idleMs?: number;
  /** Items per list page (default PAGE_SIZE, as kubectl get). */
  pageSize?: number;
  /** For tests: the first wait and the cap of the re-watch backoff. */
  backoff?: { baseMs: number; capMs: number };
}

export interface ObjectChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  /** The cached object before this change (MODIFIED, DELETED). */
  previous?: KubeObject;
  /** True when the change was inferred by diffing a re-list after 410 Gone, not seen on the watch. */
  fromRelist: boolean;
}

export interface ListWatchStats {
  lists: number;
  watches: number;
  bookmarks: number;
  /** 410 Gone answers (watch ERROR event or HTTP status) that forced a re-list. */
  gone: number;
  /** Watches that failed (transport error, 429/5xx, an ERROR event, closed at once) and were re-opened after a wait. */
  failures: number;
  /** Time without an open watch because of those failures. */
  downMs: number;
}

/**
 * A watch with neither an event nor a bookmark for this long is presumed dead: servers send a
 * bookmark about once a minute to watches that allow them (apiserver cacher.go,
 * defaultBookmarkFrequency), so a dead connection is noticed within one bookmark interval and a
 * margin. TCP keepalive (transport.ts) covers connections that die without a word.
 */
export const WATCH_IDLE_MS = 75_000;

/** A watch that ends this soon with no event was not a normal end (client-go's VeryShortWatchError). */
const VERY_SHORT_WATCH_MS = 1000;
/** A watch that stayed up this long resets the backoff. */
const HEALTHY_WATCH_MS = 10_000;
/** How long `start` keeps retrying a server that answers 429/5xx or drops connections. */
const START_DEADLINE_MS = 60_000;

/** Errors worth retrying: the server is starting, overloaded, or the connection broke; not 401/403/404, nor a credential plugin's failure. */
function retryable(err: unknown): boolean {
  if (err instanceof KubeApiError) return err.statusCode === 429 || err.statusCode >= 500;
  return !(err instanceof ZerodropError);
}

/**
 * List, then watch from the list's resourceVersion, the way client-go's reflector does:
 * bookmarks advance the resourceVersion without an object change; a watch the server ends
 * normally is reopened from the last resourceVersion; 410 Gone (the version was compacted away)
 * forces a fresh list, and the difference between the cache and that list is reported as changes
 * so no transition is silently lost. Lists are paged (limit/continue). A failing watch (429 with
 * Retry-After while the server's watch cache starts, 5xx, a broken or silent connection, a watch
 * closed at once with no event) is re-opened for as long as the run lasts, after a capped,
 * jittered backoff; only a refusal (401, 403, 404) ends it for good.
 */
export class ListWatch {
  readonly stats: ListWatchStats = { lists: 0, watches: 0, bookmarks: 0, gone: 0, failures: 0, downMs: 0 };
  /** Set when the watch can no longer be kept (a refusal); the caller decides whether that ends the run. */
  failure: Error | undefined;
  /** Set while no watch is open because of a failure. */
  down: { since: number; reason: string } | undefined;
  private readonly cache = new Map<string, KubeObject>();
  private readonly backoff: WatchBackoff;
  private resourceVersion = '';
  private handle: WatchHandle | undefined;
  private openedAt = 0;
  private stopped = false;
  private goneSeen = false;
  private errorStatus: string | undefined;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(
    private readonly client: KubeApiClient,
    private readonly options: ListWatchOptions,
    private readonly onChange: (change: ObjectChange) => void,
  ) {
    this.backoff = new WatchBackoff(options.backoff?.baseMs, options.backoff?.capMs);
  }

  private call(verb: 'list' | 'watch'): ApiCall {
    return { verb, resource: this.options.resource, ...(this.options.namespace === undefined ? {} : { namespace: this.options.namespace }) };
  }

  /** Lists and opens the watch; rejects (403, 404, unreachable) before anything is watched. */
  async start(): Promise<KubeObject[]> {
    const deadline = performance.now() + START_DEADLINE_MS;
    let listed = false;
    for (;;) {
      try {
        if (!listed) await this.list(true);
        listed = true;
        await this.openWatch();
        break;
      } catch (err) {
        // Compacted between our list and our watch: list again (API concepts, "410 Gone responses").
        if (err instanceof KubeApiError && err.statusCode === 410) {
          this.stats.gone++;
          listed = false;
          continue;
        }
        if (!retryable(err) || performance.now() > deadline) throw this.client.userError(err, err instanceof KubeApiError ? err.call : this.call('list'));
        this.stats.failures++;
        await this.sleep(this.backoff.next(err instanceof KubeApiError ? err.retryAfterSeconds : undefined));
        if (this.stopped) throw this.client.userError(err, this.call('watch'));
      }
    }
    this.loopDone = this.loop();
    return this.objects();
  }

  objects(): KubeObject[] {
    return [...this.cache.values()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.handle?.abort();
    this.wake?.();
    await this.loopDone;
    if (this.down) this.stats.downMs += Math.round(performance.now() - this.down.since);
  }

  private selectors() {
    return {
      ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
      ...(this.options.fieldSelector ? { fieldSelector: this.options.fieldSelector } : {}),
    };
  }

  private async list(initial: boolean): Promise<void> {
    const path = resourcePath(this.options.resource, this.options.namespace);
    const list = await listAllPages(this.client, this.call('list'), path, this.selectors(), this.options.pageSize);
    this.stats.lists++;
    this.resourceVersion = list.resourceVersion;
    const fresh = new Map<string, KubeObject>();
    for (const item of list.items) {
      // List items carry no apiVersion/kind on the wire; restore them so objects are self-describing.
      const object: KubeObject = { apiVersion: apiVersionOf(this.options.resource), kind: this.options.resource.kind, ...item };
      fresh.set(keyOf(object), object);
    }
    if (!initial) {
      for (const [key, previous] of this.cache) {
        if (!fresh.has(key)) this.onChange({ type: 'DELETED', object: previous, previous, fromRelist: true });
      }
      for (const [key, object] of fresh) {
        const previous = this.cache.get(key);
        if (!previous) this.onChange({ type: 'ADDED', object, fromRelist: true });
        else if (previous.metadata && rvOf(previous) !== rvOf(object)) this.onChange({ type: 'MODIFIED', object, previous, fromRelist: true });
      }
    }
    this.cache.clear();
    for (const [k, v] of fresh) this.cache.set(k, v);
  }

  private async openWatch(): Promise<void> {
    const path = resourcePath(this.options.resource, this.options.namespace);
    this.goneSeen = false;
    this.errorStatus = undefined;
    const asked = performance.now();
    this.handle = await this.client.watch(
      this.call('watch'),
      path,
      {
        ...this.selectors(),
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: this.options.timeoutSeconds ?? 300,
      },
      (event) => this.onEvent(event),
      this.options.idleMs ?? WATCH_IDLE_MS,
    );
    // stop() may have come while we waited for the server: this watch is nobody's, end it.
    if (this.stopped) this.handle.abort();
    this.openedAt = asked;
    this.stats.watches++;
    if (this.down) {
      this.stats.downMs += Math.round(performance.now() - this.down.since);
      this.down = undefined;
    }
  }

  private onEvent(event: RawWatchEvent): void {
    if (this.stopped) return;
    const object = event.object as KubeObject;
    switch (event.type) {
      case 'BOOKMARK':
        this.stats.bookmarks++;
        this.resourceVersion = rvOf(object) ?? this.resourceVersion;
        return;
      case 'ERROR': {
        const code = (object as { code?: number }).code;
        if (code === 410) this.goneSeen = true;
        else this.errorStatus = `the watch ended with an ERROR event: ${code ?? '?'} ${(object as { message?: string }).message ?? ''}`.trim();
        this.handle?.abort();
        return;
      }
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED': {
        const full: KubeObject = { apiVersion: apiVersionOf(this.options.resource), kind: this.options.resource.kind, ...object };
        const key = keyOf(full);
        const previous = this.cache.get(key);
        if (event.type === 'DELETED') this.cache.delete(key);
        else this.cache.set(key, full);
        this.resourceVersion = rvOf(full) ?? this.resourceVersion;
        this.onChange({ type: event.type, object: full, ...(previous ? { previous } : {}), fromRelist: false });
        return;
      }
      default:
        return;
    }
  }

  /** Why the watch that just ended did not end normally, or undefined for a normal end. */
  private async ended(): Promise<{ problem?: string; retryAfterSeconds?: number }> {
    try {
      await this.handle?.closed;
    } catch (err) {
      return { problem: (err as Error).message };
    }
    if (this.errorStatus) return { problem: this.errorStatus };
    const lasted = performance.now() - this.openedAt;
    if (!this.goneSeen && (this.handle?.events() ?? 0) === 0 && lasted < VERY_SHORT_WATCH_MS) {
      return { problem: `the API server closed the watch after ${Math.round(lasted)} ms without an event` };
    }
    if (lasted >= HEALTHY_WATCH_MS) this.backoff.reset();
    return {};
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let { problem, retryAfterSeconds } = await this.ended();
      if (this.stopped) return;
      let needList = this.goneSeen;
      while (!this.stopped) {
        if (problem !== undefined) {
          this.stats.failures++;
          this.down ??= { since: performance.now(), reason: problem };
          this.down.reason = problem;
          await this.sleep(this.backoff.next(retryAfterSeconds));
          if (this.stopped) return;
        }
        try {
          if (needList) {
            if (++this.stats.gone > 100) throw new Error('the API server keeps answering 410 Gone');
            await this.list(false);
            needList = false;
          }
          await this.openWatch();
          break;
        } catch (err) {
          if (err instanceof KubeApiError && err.statusCode === 410) {
            // The server may also refuse the watch itself with 410 Gone; same remedy: list again.
            needList = true;
            problem = undefined;
            continue;
          }
          if (!retryable(err)) {
            this.failure = this.client.userError(err, err instanceof KubeApiError ? err.call : this.call('watch'));
            return;
          }
          problem = (err as Error).message;
          retryAfterSeconds = err instanceof KubeApiError ? err.retryAfterSeconds : undefined;
        }
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}

function keyOf(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function rvOf(o: KubeObject): string | undefined {
  const rv = (o.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
  return typeof rv === 'string' ? rv : undefined;
}
