import type { KubeObject } from '../k8s/objects.js';
import { KubeApiError, type ApiCall } from './apiErrors.js';
import type { KubeApiClient, RawWatchEvent, WatchHandle } from './apiClient.js';
import { apiVersionOf, resourcePath, type ResourceRef } from './resources.js';

export interface ListWatchOptions {
  resource: ResourceRef;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Asks the server to end each watch after this long; the loop then re-watches from the last resourceVersion. */
  timeoutSeconds?: number;
  /** Reconnect attempts after a transport error before giving up. */
  maxRetries?: number;
  /** Silence after which a watch counts as dead; default timeoutSeconds + 60 s. */
  idleMs?: number;
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
}

interface ObjectList {
  metadata?: { resourceVersion?: string };
  items?: KubeObject[];
}

/**
 * List, then watch from the list's resourceVersion, the way client-go's reflector does:
 * bookmarks advance the resourceVersion without an object change; a watch that the server ends
 * normally is reopened from the last resourceVersion; 410 Gone (the version was compacted away)
 * forces a fresh list, and the difference between the cache and that list is reported as
 * changes so no transition is silently lost.
 */
export class ListWatch {
  readonly stats: ListWatchStats = { lists: 0, watches: 0, bookmarks: 0, gone: 0 };
  /** Set when the watch could not be kept alive; the caller decides whether that ends the run. */
  failure: Error | undefined;
  private readonly cache = new Map<string, KubeObject>();
  private resourceVersion = '';
  private handle: WatchHandle | undefined;
  private stopped = false;
  private goneSeen = false;
  private errorStatus: string | undefined;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: KubeApiClient,
    private readonly options: ListWatchOptions,
    private readonly onChange: (change: ObjectChange) => void,
  ) {}

  private call(verb: 'list' | 'watch'): ApiCall {
    return { verb, resource: this.options.resource, ...(this.options.namespace === undefined ? {} : { namespace: this.options.namespace }) };
  }

  /** Lists and opens the watch; rejects (403, 404, unreachable) before anything is watched. */
  async start(): Promise<KubeObject[]> {
    try {
      await this.list(true);
      for (let attempt = 0; ; attempt++) {
        try {
          await this.openWatch();
          break;
        } catch (err) {
          // Compacted between our list and our watch: list again (API concepts, "410 Gone responses").
          if (!(err instanceof KubeApiError && err.statusCode === 410) || attempt >= 3) throw err;
          this.stats.gone++;
          await this.list(false);
        }
      }
    } catch (err) {
      throw this.client.userError(err, err instanceof KubeApiError ? err.call : this.call('list'));
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
    await this.loopDone;
  }

  private selectors() {
    return {
      ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
      ...(this.options.fieldSelector ? { fieldSelector: this.options.fieldSelector } : {}),
    };
  }

  private async list(initial: boolean): Promise<void> {
    const path = resourcePath(this.options.resource, this.options.namespace);
    const list = await this.client.rawJson<ObjectList>(this.call('list'), path, { query: this.selectors(), timeoutMs: 30_000 });
    this.stats.lists++;
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
    const fresh = new Map<string, KubeObject>();
    for (const item of list.items ?? []) {
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
      // The server ends the watch after timeoutSeconds and sends bookmarks meanwhile; a minute of
      // silence beyond that means the connection is dead.
      this.options.idleMs ?? ((this.options.timeoutSeconds ?? 300) + 60) * 1000,
    );
    this.stats.watches++;
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
        else this.errorStatus = `${code ?? '?'} ${(object as { message?: string }).message ?? ''}`.trim();
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

  private async loop(): Promise<void> {
    const maxRetries = this.options.maxRetries ?? 5;
    let failures = 0;
    while (!this.stopped) {
      let problem: string | undefined;
      try {
        await this.handle?.closed;
      } catch (err) {
        problem = (err as Error).message;
      }
      if (this.stopped) return;
      problem ??= this.errorStatus;
      let needList = this.goneSeen;
      while (!this.stopped) {
        if (problem !== undefined) {
          if (++failures > maxRetries) {
            this.failure = new Error(problem);
            return;
          }
          await delay(Math.min(2000, 100 * 2 ** failures));
          if (this.stopped) return;
        }
        try {
          if (needList) {
            if (++this.stats.gone > 100) throw new Error('the API server keeps answering 410 Gone');
            await this.list(false);
            needList = false;
          }
          await this.openWatch();
          if (problem === undefined) failures = 0;
          break;
        } catch (err) {
          if (err instanceof KubeApiError && err.statusCode === 410) {
            // The server may also refuse the watch itself with 410 Gone; same remedy: list again.
            needList = true;
            continue;
          }
          problem = (err as Error).message;
        }
      }
    }
  }
}

function keyOf(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function rvOf(o: KubeObject): string | undefined {
  const rv = (o.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
  return typeof rv === 'string' ? rv : undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
