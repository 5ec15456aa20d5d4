import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, toUserError, type ApiCall, type KubeStatus } from './apiErrors.js';
import type { LoadedKubeconfig } from './kubeconfig.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'PATCH' | 'POST';
  query?: Query;
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
}

/** One raw watch event line: `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":...}`. */
export interface RawWatchEvent {
  type: string;
  object: Record<string, unknown>;
}

export interface WatchHandle {
  /** Resolves when the server ends the stream (timeoutSeconds or a restart), rejects on a transport error. */
  readonly closed: Promise<void>;
  abort(): void;
}

/**
 * A thin JSON client for the Kubernetes REST API. client-node supplies what is hard (kubeconfig,
 * TLS material, exec/OIDC credentials, proxies) through `applyToHTTPSOptions`; we keep the wire
 * format as plain JSON so objects reach the audit and the event stream exactly as the API
 * server sent them (the generated clients turn them into classes with second-precision Dates)
 * and so error bodies (metav1.Status) and watch ERROR events are never lost.
 */
export class KubeApiClient {
  readonly server: string;
  readonly context: string;
  private readonly config: KubeConfig;

  constructor(loaded: LoadedKubeconfig) {
    this.server = loaded.server.replace(/\/+$/, '');
    this.context = loaded.context;
    this.config = plainHttpAllowed(loaded.config, this.server);
  }

  /** Sends one request and parses the JSON answer; non-2xx becomes KubeApiError, transport failures stay as they are. */
  async rawJson<T>(call: ApiCall, path: string, options: RequestOptions = {}): Promise<T> {
    const { status, text } = await this.send(path, options);
    const parsed = text === '' ? undefined : safeJson(text);
    if (status < 200 || status > 299) throw new KubeApiError(call, status, isStatus(parsed) ? parsed : undefined);
    return parsed as T;
  }

  /** Like rawJson, but every failure is already the user-facing ZerodropError. */
  async json<T>(call: ApiCall, path: string, options: RequestOptions = {}): Promise<T> {
    try {
      return await this.rawJson<T>(call, path, options);
    } catch (err) {
      throw this.userError(err, call);
    }
  }

  userError(err: unknown, call: ApiCall) {
    return toUserError(err, call, { server: this.server, context: this.context });
  }

  /**
   * Opens a watch. Resolves once the server accepted it (200) so callers know the watch is live
   * before they change anything; a non-200 answer rejects with KubeApiError (403, 410, ...).
   * A watch that goes silent for `idleMs` (no event, not even a bookmark: a dead connection the
   * kernel has not noticed) is ended with an error so the caller re-watches.
   */
  async watch(call: ApiCall, path: string, query: Query, onEvent: (event: RawWatchEvent) => void, idleMs = 360_000): Promise<WatchHandle> {
    const controller = new AbortController();
    const headersTimer = setTimeout(
      () => controller.abort(Object.assign(new Error('no answer to the watch request within 30 s'), { code: 'ETIMEDOUT' })),
      30_000,
    );
    let res: http.IncomingMessage;
    try {
      res = await this.open(path, { query: { ...query, watch: 'true' } }, controller.signal);
    } finally {
      clearTimeout(headersTimer);
    }
    if (res.statusCode !== 200) {
      const text = await readAll(res);
      const parsed = safeJson(text);
      throw new KubeApiError(call, res.statusCode ?? 0, isStatus(parsed) ? parsed : undefined);
    }
    let stalled = false;
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => {
        stalled = true;
        res.destroy(new Error(`the watch was silent for ${Math.round(idleMs / 1000)} s`));
      }, idleMs);
    };
    arm();
    const closed = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: res, crlfDelay: Infinity });
      lines.on('line', (line) => {
        arm();
        if (line.trim() === '') return;
        const parsed = safeJson(line) as RawWatchEvent | undefined;
        if (parsed && typeof parsed.type === 'string' && parsed.object && typeof parsed.object === 'object') onEvent(parsed);
      });
      const onError = (err: Error) => (controller.signal.aborted && !stalled ? resolve() : reject(err));
      // readline re-emits the stream's error; both must be handled or an abort crashes the process.
      res.on('error', onError);
      lines.on('error', onError);
      lines.on('close', () => resolve());
    }).finally(() => clearTimeout(idle));
    return { closed, abort: () => controller.abort() };
  }

  private async send(path: string, options: RequestOptions): Promise<{ status: number; text: string }> {
    const res = await this.open(path, options);
    return { status: res.statusCode ?? 0, text: await readAll(res) };
  }

  private async open(path: string, options: RequestOptions, signal?: AbortSignal): Promise<http.IncomingMessage> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: https.RequestOptions = {};
    await this.config.applyToHTTPSOptions(opts);
    const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: http.OutgoingHttpHeaders = { ...((opts.headers ?? {}) as http.OutgoingHttpHeaders), accept: 'application/json' };
    if (body) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = body.length;
    }
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          ...opts,
          method: options.method ?? 'GET',
          headers,
          ...(signal ? { signal } : {}),
          ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
        },
        resolve,
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/**
 * client-node refuses http:// servers unless TLS verification is skipped; over plain HTTP there
 * is nothing to verify (e.g. `kubectl proxy` on http://127.0.0.1:8001), so allow it there only.
 */
function plainHttpAllowed(config: KubeConfig, server: string): KubeConfig {
  if (!server.startsWith('http:')) return config;
  const current = config.getCurrentCluster();
  if (!current || current.skipTLSVerify) return config;
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: config.getClusters().map((c) => (c.name === current.name ? { ...c, skipTLSVerify: true } : c)),
    users: config.getUsers(),
    contexts: config.getContexts(),
    currentContext: config.getCurrentContext(),
  });
  return copy;
}

function readAll(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isStatus(value: unknown): value is KubeStatus {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}
