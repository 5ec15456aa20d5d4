import { createInterface } from 'node:readline';
import { request, type Dispatcher } from 'undici';
import { version } from '../version.js';
import { KubeApiError, toUserError, type ApiCall, type ClusterAccess, type KubeStatus } from './apiErrors.js';
import { credentialsFor, type Credential, type CredentialSource } from './credentials.js';
import type { ExecPluginOptions } from './execCredential.js';
import type { Impersonation } from './kubeconfigFile.js';
import type { LoadedKubeconfig } from './kubeconfig.js';
import { isLoopbackHost } from './proxy.js';
import { ApiTransport } from './transport.js';

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
  /** Events seen on this watch so far (a watch that ends at once with none is a failure, not a normal end). */
  readonly events: () => number;
  abort(): void;
}

export interface ClientOptions {
  /** For tests: the environment (proxies, trust store). */
  env?: NodeJS.ProcessEnv;
  /** Credential plugins: the terminal they may use and their deadline. */
  exec?: ExecPluginOptions;
}

/** Retries after 429 (or a 5xx with Retry-After) for one request, as client-go's REST client does; each wait is capped. */
const MAX_RETRY_AFTER = 3;
const MAX_RETRY_AFTER_SECONDS = 10;

/** `zerodrop/0.1.0 (linux/x64) node/v20.20.2`, in the shape kubectl's User-Agent has. */
export const USER_AGENT = `zerodrop/${version} (${process.platform}/${process.arch}) node/${process.version}`;

/**
 * A thin JSON client for the Kubernetes REST API, which talks to the server the way kubectl
 * does: the kubeconfig's credentials (credentials.ts) sent only over TLS or to this machine,
 * impersonation headers (`as`, `as-groups`, `as-uid`, `as-user-extra`), a User-Agent, one retry
 * after a 401 when the credential can be renewed, Retry-After honoured, the proxy and trust
 * store kubectl would use (transport.ts). The wire format stays plain JSON, so objects reach the
 * audit and the event stream exactly as the API server sent them, and error bodies
 * (metav1.Status) and watch ERROR events are never lost.
 */
export class KubeApiClient {
  readonly server: string;
  readonly context: string;
  /** Things the user should know about how we connect (shown as notes by the commands). */
  readonly notes: string[] = [];
  private readonly url: URL;
  private readonly transport: ApiTransport;
  private readonly credentials: CredentialSource;
  private readonly sendCredentials: boolean;
  private readonly impersonation: Record<string, string | string[]>;

  constructor(
    private readonly loaded: LoadedKubeconfig,
    options: ClientOptions = {},
  ) {
    this.server = loaded.server.replace(/\/+$/, '');
    this.context = loaded.context;
    this.url = new URL(this.server);
    this.transport = new ApiTransport(loaded, options.env ?? process.env);
    this.credentials = credentialsFor(loaded.user, loaded.cluster, loaded.context, options.exec);
    // kubectl never sends credentials over plain HTTP (clientcmd applies auth only with TLS); we
    // allow this machine, where `kubectl proxy` listens and nothing crosses a network.
    this.sendCredentials = this.url.protocol === 'https:' || isLoopbackHost(this.url.hostname);
    if (!this.sendCredentials && loaded.user) {
      this.notes.push(`${this.server} is plain http:// and not on this machine: no credentials are sent to it (as kubectl does)`);
    }
    this.impersonation = impersonationHeaders(loaded.user?.impersonate);
    this.notes.push(...loaded.warnings);
  }

  /** How we connect, for error messages. */
  get access(): ClusterAccess {
    return {
      server: this.server,
      context: this.context,
      proxy: this.transport.proxy,
      trust: this.transport.trust,
      ...(this.sendCredentials && this.loaded.user ? { credentials: this.credentials.describe, credentialsRenewed: this.credentials.refreshable } : {}),
      ...(!this.sendCredentials && this.loaded.user ? { credentialsWithheld: true } : {}),
    };
  }

  /** Sends one request and parses the JSON answer; non-2xx becomes KubeApiError, transport failures stay as they are. */
  async rawJson<T>(call: ApiCall, path: string, options: RequestOptions = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(path, options);
      const text = await res.body.text();
      const parsed = text === '' ? undefined : safeJson(text);
      if (res.statusCode >= 200 && res.statusCode <= 299) return parsed as T;
      const err = new KubeApiError(call, res.statusCode, isStatus(parsed) ? parsed : undefined, retryAfter(res.headers));
      const wait = err.retryAfterSeconds;
      if (wait === undefined || !(res.statusCode === 429 || res.statusCode >= 500) || attempt >= MAX_RETRY_AFTER) throw err;
      await sleep(Math.min(wait, MAX_RETRY_AFTER_SECONDS) * 1000);
    }
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
    return toUserError(err, call, this.access);
  }

  /**
   * Opens a watch. Resolves once the server accepted it (200) so callers know the watch is live
   * before they change anything; a non-200 answer rejects with KubeApiError (403, 410, 429, ...).
   * A watch that goes silent for `idleMs` (no event, not even a bookmark: a dead connection the
   * kernel has not noticed) is ended with an error so the caller re-watches.
   */
  async watch(call: ApiCall, path: string, query: Query, onEvent: (event: RawWatchEvent) => void, idleMs: number): Promise<WatchHandle> {
    const controller = new AbortController();
    const res = await this.send(path, { query: { ...query, watch: 'true' }, timeoutMs: 30_000 }, { signal: controller.signal, idleMs });
    if (res.statusCode !== 200) {
      const parsed = safeJson(await res.body.text());
      throw new KubeApiError(call, res.statusCode, isStatus(parsed) ? parsed : undefined, retryAfter(res.headers));
    }
    let events = 0;
    const closed = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: res.body, crlfDelay: Infinity });
      lines.on('line', (line) => {
        if (line.trim() === '') return;
        const parsed = safeJson(line) as RawWatchEvent | undefined;
        if (parsed && typeof parsed.type === 'string' && parsed.object && typeof parsed.object === 'object') {
          events++;
          onEvent(parsed);
        }
      });
      const onError = (err: Error & { code?: string }) => {
        if (controller.signal.aborted) return resolve();
        reject(
          err.code === 'UND_ERR_BODY_TIMEOUT'
            ? Object.assign(new Error(`the watch was silent for ${Math.round(idleMs / 1000)} s`), { code: 'ETIMEDOUT' })
            : err,
        );
      };
      // readline re-emits the stream's error; both must be handled or an abort crashes the process.
      res.body.on('error', onError);
      lines.on('error', onError);
      lines.on('close', () => resolve());
    });
    // The caller awaits `closed` for as long as the watch is its; one it has let go of may still fail.
    closed.catch(() => undefined);
    return { closed, events: () => events, abort: () => controller.abort() };
  }

  /** Closes pooled connections (a finished command should not wait for keep-alive timeouts). */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private async send(path: string, options: RequestOptions, stream: { signal?: AbortSignal; idleMs?: number } = {}): Promise<Dispatcher.ResponseData> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    let credential: Credential = this.sendCredentials ? await this.credentials.get() : {};
    for (let renewed = false; ; renewed = true) {
      const headers: Record<string, string | string[]> = { accept: 'application/json', 'user-agent': USER_AGENT, ...this.impersonation };
      if (credential.authorization) headers.authorization = credential.authorization;
      if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
      const timeout = options.timeoutMs ?? 30_000;
      const res = await request(url, {
        method: options.method ?? 'GET',
        headers,
        ...(body === undefined ? {} : { body }),
        dispatcher: this.transport.dispatcher(credential.clientCert),
        headersTimeout: timeout,
        bodyTimeout: stream.idleMs ?? timeout,
        ...(stream.signal ? { signal: stream.signal } : {}),
      });
      if (res.statusCode !== 401 || renewed || !this.sendCredentials || !this.credentials.refreshable) return res;
      // Expired between fetch and use, or revoked: renew once (a plugin runs again) and retry.
      if (!(await this.credentials.rejected(credential))) return res;
      await res.body.dump();
      credential = await this.credentials.get();
    }
  }
}

function impersonationHeaders(imp: Impersonation | undefined): Record<string, string | string[]> {
  if (!imp?.user) return {};
  const headers: Record<string, string | string[]> = { 'impersonate-user': imp.user };
  if (imp.uid) headers['impersonate-uid'] = imp.uid;
  if (imp.groups.length > 0) headers['impersonate-group'] = imp.groups;
  for (const [key, values] of Object.entries(imp.extra)) headers[`impersonate-extra-${encodeURIComponent(key)}`] = values;
  return headers;
}

function retryAfter(headers: Dispatcher.ResponseData['headers']): number | undefined {
  const raw = headers['retry-after'];
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
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
