/**
 * The fake's HTTP surface: authentication (bearer token or, over TLS, a client certificate; over
 * plain HTTP an anonymous loopback caller is treated as authenticated, as behind `kubectl proxy`),
 * discovery and `/version`, SelfSubjectAccessReview, RBAC-style 403s, GET/PATCH of Deployments,
 * paged LIST and WATCH, and the faults a real server answers with (429 + Retry-After, admission
 * denials, slow webhooks). Every request is logged for the tests to compare.
 */
import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import { fixture } from './fixtures.js';
import { discoveryDocument, versionInfo, type ServerVersion } from './discovery.js';
import { apiVersionOf, FAKE_RESOURCES, qualified } from './resources.js';
import { selectorFilter } from './selectors.js';
import type { ObjectStore, Obj } from './store.js';
import type { WatchHub } from './watchHub.js';

export const FAKE_TOKEN = 'zerodrop-test-token';
export const FAKE_USER = 'system:serviceaccount:ci:deployer';

export interface LoggedRequest {
  /** performance.now() when the request arrived. */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: unknown;
  /** The body as sent, byte for byte. */
  raw: string;
  /** Who the fake took the caller to be ('' when it answered 401). */
  user: string;
  /** impersonate: every Impersonate-* header, by lower-case name. */
  headers: { authorization?: string; userAgent?: string; accept?: string; impersonate: Record<string, string[]> };
}

export interface Throttle {
  verb: 'get' | 'list' | 'watch' | 'patch';
  resource: string;
  /** How many such requests get 429 before the server answers normally. */
  times: number;
  retryAfterSeconds: number;
  message?: string;
}

export interface PatchRejection {
  code: number;
  reason: string;
  message: string;
}

export interface RouterOptions {
  forbid: Array<{ verb: string; resource: string }>;
  rejectPatch: PatchRejection | undefined;
  patchDelayMs: number;
  throttle: Throttle[];
  /** Over plain HTTP, refuse callers without a token (by default they are let in, as kubectl proxy does). */
  requireToken: boolean;
  serverVersion: ServerVersion;
  /** Every continue token is answered 410 Expired (etcd compacted the list's revision). */
  expireContinue: boolean;
}

/** What applies an accepted Deployment PATCH (the fake's Deployment controller). */
export interface PatchTarget {
  patch(body: Obj): Obj;
}

type Route = { resource: string; namespace?: string; name?: string };

export class ApiRouter {
  readonly requests: LoggedRequest[] = [];
  readonly acceptedTokens = new Set([FAKE_TOKEN]);

  constructor(
    private readonly store: ObjectStore,
    private readonly hub: WatchHub,
    private readonly controller: PatchTarget,
    private readonly options: RouterOptions,
    private readonly address: () => string,
  ) {}

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    const query = Object.fromEntries(url.searchParams);
    const contentType = req.headers['content-type'];
    const user = this.authenticate(req);
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(', ') : v;
    };
    const impersonate = Object.fromEntries(Object.entries(req.headersDistinct).filter(([k]) => k.startsWith('impersonate-'))) as Record<string, string[]>;
    this.requests.push({
      at,
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      contentType,
      body: body === '' ? undefined : safeJson(body),
      raw: body,
      user: user ?? '',
      headers: {
        ...(header('authorization') ? { authorization: header('authorization') } : {}),
        ...(header('user-agent') ? { userAgent: header('user-agent') } : {}),
        ...(header('accept') ? { accept: header('accept') } : {}),
        impersonate,
      },
    });
    if (user === undefined) return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
    const actingAs = header('impersonate-user') ?? user;

    if (url.pathname === '/version') return sendJson(res, 200, versionInfo(this.options.serverVersion));
    const discovery = discoveryDocument(url.pathname, this.address());
    if (discovery) return sendJson(res, 200, discovery);

    const route = parsePath(url.pathname);
    if (!route) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
    if (route.resource === 'selfsubjectaccessreviews' && req.method === 'POST') {
      const review = JSON.parse(body) as Obj;
      const attrs = review.spec?.resourceAttributes ?? {};
      const allowed = !this.forbidden(attrs.verb, attrs.resource);
      return sendJson(res, 201, { ...review, metadata: { creationTimestamp: null }, status: { allowed, ...(allowed ? {} : { reason: '' }) } });
    }
    const info = FAKE_RESOURCES[route.resource];
    if (!info) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
    const watch = query.watch === 'true' || query.watch === '1';
    const verb = req.method === 'PATCH' ? 'patch' : route.name !== undefined ? 'get' : watch ? 'watch' : 'list';
    if (this.forbidden(verb, route.resource)) {
      const what = route.name !== undefined ? `${qualified(route.resource)} "${route.name}"` : qualified(route.resource);
      const where = route.namespace !== undefined ? ` in the namespace "${route.namespace}"` : ' at the cluster scope';
      return sendStatus(
        res,
        403,
        'Forbidden',
        `${what} is forbidden: User "${actingAs}" cannot ${verb} resource "${route.resource}" in API group "${info.group}"${where}`,
        {
          name: route.name,
          group: info.group,
          kind: route.resource,
        },
      );
    }
    const throttle = this.options.throttle.find((t) => t.verb === verb && t.resource === route.resource && t.times > 0);
    if (throttle) {
      throttle.times--;
      res.setHeader('retry-after', String(throttle.retryAfterSeconds));
      const status = fixture<Obj>('status-429-initializing.json');
      return sendJson(res, 429, { ...status, message: throttle.message ?? status.message, details: { retryAfterSeconds: throttle.retryAfterSeconds } });
    }
    if (route.name !== undefined) return this.object(req, res, route, body, contentType);
    const matches = selectorFilter(query.labelSelector, query.fieldSelector, route.namespace);
    if (watch) return this.hub.open(route.resource, matches, query, res);
    if (query.continue && this.options.expireContinue) this.store.expireContinueTokens();
    const page = this.store.page(route.resource, matches, query.limit ? Number(query.limit) : undefined, query.continue);
    if (page === 'expired') {
      return sendStatus(
        res,
        410,
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
    const items = page.items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
    const metadata = { resourceVersion: String(this.store.rv), ...(page.continue ? { continue: page.continue, remainingItemCount: page.remaining } : {}) };
    return sendJson(res, 200, { kind: info.listKind, apiVersion: apiVersionOf(info), metadata, items });
  }

  private async object(req: http.IncomingMessage, res: http.ServerResponse, route: Route, body: string, contentType: string | undefined): Promise<void> {
    const current = this.store.find(route.resource, `${route.namespace}/${route.name}`);
    if (!current) {
      return sendStatus(res, 404, 'NotFound', `${qualified(route.resource)} "${route.name}" not found`, {
        name: route.name,
        group: FAKE_RESOURCES[route.resource]!.group,
        kind: route.resource,
      });
    }
    if (req.method === 'GET') return sendJson(res, 200, current);
    if (req.method !== 'PATCH' || route.resource !== 'deployments') {
      return sendStatus(res, 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    if (contentType !== 'application/strategic-merge-patch+json') {
      return sendStatus(
        res,
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json',
      );
    }
    // Admission runs before the write: a slow webhook delays both the change and the answer.
    if (this.options.patchDelayMs > 0) await new Promise((r) => setTimeout(r, this.options.patchDelayMs));
    const rejection = this.options.rejectPatch;
    if (rejection) return sendStatus(res, rejection.code, rejection.reason, rejection.message);
    const stored = this.controller.patch(JSON.parse(body) as Obj);
    if (!res.destroyed) sendJson(res, 200, stored);
  }

  private authenticate(req: http.IncomingMessage): string | undefined {
    const auth = req.headers.authorization;
    const socket = req.socket as TLSSocket;
    if (socket.encrypted) {
      if (socket.authorized) {
        const cn = socket.getPeerCertificate().subject?.CN;
        if (cn) return String(cn);
      }
      return auth?.startsWith('Bearer ') && this.acceptedTokens.has(auth.slice(7)) ? FAKE_USER : undefined;
    }
    if (auth === undefined) return this.options.requireToken ? undefined : FAKE_USER;
    return auth.startsWith('Bearer ') && this.acceptedTokens.has(auth.slice(7)) ? FAKE_USER : undefined;
  }

  private forbidden(verb: string, resource: string): boolean {
    return this.options.forbid.some((f) => f.verb === verb && f.resource === resource);
  }
}

function parsePath(pathname: string): Route | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const rest = parts[0] === 'api' ? parts.slice(2) : parts[0] === 'apis' ? parts.slice(3) : undefined;
  if (!rest || rest.length === 0) return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) return { namespace: rest[1]!, resource: rest[2]!, ...(rest[3] !== undefined ? { name: rest[3] } : {}) };
  return { resource: rest[0]!, ...(rest[1] !== undefined ? { name: rest[1] } : {}) };
}

export function sendJson(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A metav1.Status error body, as every API error answer carries. */
export function sendStatus(res: http.ServerResponse, code: number, reason: string, message: string, details?: Obj): void {
  const cleaned = details ? Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)) : undefined;
  sendJson(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(cleaned ? { details: cleaned } : {}), code });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
