/**
 * A minimal fake Kubernetes API server for the calls zerodrop makes, and nothing else. It
 * follows the documented wire shapes (API concepts: list/watch with resourceVersion, watch
 * bookmarks, 410 Gone as a watch ERROR event; metav1.Status error bodies) and is driven by the
 * recorded-style fixtures in test/fixtures/k8s-api/.
 *
 * On a PATCH of the Deployment it plays a RollingUpdate with maxSurge 1 / maxUnavailable 0
 * (kubernetes-semantics §3.2): for each old pod, create a new pod, start it, mark it Ready (and
 * add it to the EndpointSlice, §1.3), then delete an old pod (deletionTimestamp; the slice keeps
 * it with ready=false, serving=true, terminating=true, §1.3), let it exit, drop it from the slice
 * and delete the object. Pods are real loopback HTTP servers behind a small front proxy that
 * routes only to endpoints marked ready (what kube-proxy does for new connections, §1.4), so the
 * load sees real drops when a pod dies while it is still routed to (scenario `abrupt`).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'k8s-api');
export const fixture = <T = Record<string, any>>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;

export const FAKE_TOKEN = 'zerodrop-test-token';
const USER = 'system:serviceaccount:ci:deployer';

type Obj = Record<string, any>;

interface ResourceInfo {
  group: string;
  kind: string;
  listKind: string;
}

const RESOURCES: Record<string, ResourceInfo> = {
  deployments: { group: 'apps', kind: 'Deployment', listKind: 'DeploymentList' },
  statefulsets: { group: 'apps', kind: 'StatefulSet', listKind: 'StatefulSetList' },
  daemonsets: { group: 'apps', kind: 'DaemonSet', listKind: 'DaemonSetList' },
  pods: { group: '', kind: 'Pod', listKind: 'PodList' },
  services: { group: '', kind: 'Service', listKind: 'ServiceList' },
  endpointslices: { group: 'discovery.k8s.io', kind: 'EndpointSlice', listKind: 'EndpointSliceList' },
  poddisruptionbudgets: { group: 'policy', kind: 'PodDisruptionBudget', listKind: 'PodDisruptionBudgetList' },
  horizontalpodautoscalers: { group: 'autoscaling', kind: 'HorizontalPodAutoscaler', listKind: 'HorizontalPodAutoscalerList' },
  ingresses: { group: 'networking.k8s.io', kind: 'Ingress', listKind: 'IngressList' },
};

export interface FakeOptions {
  /** graceful: endpoint removed before the pod stops; abrupt: the pod dies while still routed to; stuck: new pods never get ready and the progress deadline passes. */
  scenario?: 'graceful' | 'abrupt' | 'stuck';
  /** Answer 403 to these verb/resource pairs (also in SelfSubjectAccessReview answers). */
  forbid?: Array<{ verb: string; resource: string }>;
  /** On PATCH, expire every open pod watch with a 410 ERROR event and compact history. */
  expirePodWatchOnPatch?: boolean;
  bookmarkIntervalMs?: number;
  /** Duration of one rollout step. */
  stepMs?: number;
  /** Serve these extra objects (audit --cluster): fixture file names under live/. */
  live?: boolean;
  /** Answer the Deployment PATCH with this Status code (e.g. 422 from an admission webhook) instead of applying it. */
  rejectPatch?: number;
  /** Start with the last pod not ready (and so out of rotation). */
  initialNotReady?: boolean;
  /** How a watch from a compacted resourceVersion is refused: a 200 stream with one ERROR event (default) or an HTTP 410 Status. */
  goneAs?: 'event' | 'http';
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: unknown;
}

interface Watcher {
  resource: string;
  namespace: string | undefined;
  matches: (o: Obj) => boolean;
  res: http.ServerResponse;
}

interface Backend {
  server: http.Server;
  port: number;
  sockets: Set<Socket>;
}

export class FakeKubeApi {
  readonly requests: LoggedRequest[] = [];
  url = '';
  frontUrl = '';
  private readonly options: Required<Omit<FakeOptions, 'forbid'>> & { forbid: FakeOptions['forbid'] };
  private readonly store = new Map<string, Map<string, Obj>>();
  private readonly history: Array<{ rv: number; resource: string; type: string; object: Obj }> = [];
  private readonly compactedBelow = new Map<string, number>();
  private readonly watchers = new Set<Watcher>();
  private readonly backends = new Map<string, Backend>();
  private readonly rotation: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private rv = 1010;
  private api: http.Server | undefined;
  private front: http.Server | undefined;
  private roundRobin = 0;
  private podSeq = 0;
  private closing = false;
  rolloutDone: Promise<void> = Promise.resolve();

  constructor(options: FakeOptions = {}) {
    this.options = {
      scenario: options.scenario ?? 'graceful',
      forbid: options.forbid,
      expirePodWatchOnPatch: options.expirePodWatchOnPatch ?? false,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 200,
      stepMs: options.stepMs ?? 250,
      live: options.live ?? false,
      goneAs: options.goneAs ?? 'event',
      rejectPatch: options.rejectPatch ?? 0,
      initialNotReady: options.initialNotReady ?? false,
    };
    for (const r of Object.keys(RESOURCES)) this.store.set(r, new Map());
  }

  patches(): LoggedRequest[] {
    return this.requests.filter((r) => r.method === 'PATCH');
  }

  count(method: string, pathPrefix: string, watch?: boolean): number {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix) && (watch === undefined || (r.query.watch === 'true') === watch))
      .length;
  }

  async start(): Promise<void> {
    const deployment = fixture('deployment-web.json');
    this.put('deployments', deployment);
    this.put('services', fixture('service-web.json'));
    this.put('services', fixture('service-admin.json'));
    const hash = deployment.metadata.labels?.['pod-template-hash'] ?? '6d4cf56db6';
    for (let i = 0; i < deployment.spec.replicas; i++) {
      const notReady = this.options.initialNotReady && i === deployment.spec.replicas - 1;
      const pod = this.newPod(hash, 'ready');
      await this.startBackend(pod.metadata.name);
      this.put('pods', notReady ? podState(podState(pod, 'running'), 'not-ready') : pod);
      if (!notReady) this.rotation.push(pod.metadata.name);
    }
    this.put('endpointslices', this.sliceFromPods());
    if (this.options.live) {
      for (const file of readdirSync(join(FIXTURES, 'live')).sort()) {
        const o = fixture(`live/${file}`);
        const resource = Object.entries(RESOURCES).find(([, info]) => info.kind === o.kind)?.[0];
        if (resource) this.put(resource, o);
      }
    }
    this.api = http.createServer((req, res) => void this.handle(req, res));
    this.front = http.createServer((req, res) => this.proxy(req, res));
    await Promise.all([listen(this.api), listen(this.front)]);
    this.url = `http://127.0.0.1:${(this.api.address() as AddressInfo).port}`;
    this.frontUrl = `http://127.0.0.1:${(this.front.address() as AddressInfo).port}/`;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.timers) clearTimeout(t);
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    for (const b of this.backends.values()) {
      for (const s of b.sockets) s.destroy();
      b.server.close();
    }
    await Promise.all(
      [this.api, this.front].map((s) =>
        s
          ? new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            })
          : undefined,
      ),
    );
  }

  // ---------------------------------------------------------------- HTTP API

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    const query = Object.fromEntries(url.searchParams);
    const contentType = req.headers['content-type'];
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query, contentType, body: body === '' ? undefined : JSON.parse(body) });

    if (req.headers.authorization !== `Bearer ${FAKE_TOKEN}`) {
      return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
    }
    const route = parsePath(url.pathname);
    if (!route) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');

    if (route.resource === 'selfsubjectaccessreviews' && req.method === 'POST') {
      const review = JSON.parse(body) as Obj;
      const attrs = review.spec?.resourceAttributes ?? {};
      const allowed = !this.forbidden(attrs.verb, attrs.resource);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...review, metadata: { creationTimestamp: null }, status: { allowed, ...(allowed ? {} : { reason: '' }) } }));
      return;
    }
    const info = RESOURCES[route.resource];
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
        `${what} is forbidden: User "${USER}" cannot ${verb} resource "${route.resource}" in API group "${info.group}"${where}`,
      );
    }
    const objects = this.store.get(route.resource)!;
    if (route.name !== undefined) {
      const key = `${route.namespace}/${route.name}`;
      const current = objects.get(key);
      if (!current) return sendStatus(res, 404, 'NotFound', `${qualified(route.resource)} "${route.name}" not found`);
      if (req.method === 'GET') return sendJson(res, 200, current);
      if (req.method === 'PATCH') {
        if (contentType !== 'application/strategic-merge-patch+json') {
          return sendStatus(
            res,
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
          );
        }
        if (this.options.rejectPatch) {
          return sendStatus(
            res,
            this.options.rejectPatch,
            'Invalid',
            `admission webhook "policy.example.com" denied the request: ${qualified(route.resource)} "${route.name}" must not change on Fridays`,
          );
        }
        return sendJson(res, 200, this.patchDeployment(key, JSON.parse(body) as Obj));
      }
      return sendStatus(res, 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    const matches = selectorFilter(query.labelSelector, query.fieldSelector, route.namespace);
    if (!watch) {
      const items = [...objects.values()].filter(matches).map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
      return sendJson(res, 200, { kind: info.listKind, apiVersion: apiVersion(info), metadata: { resourceVersion: String(this.rv) }, items });
    }
    this.openWatch(route.resource, route.namespace, matches, query, res);
  }

  private forbidden(verb: string, resource: string): boolean {
    return (this.options.forbid ?? []).some((f) => f.verb === verb && f.resource === resource);
  }

  private openWatch(
    resource: string,
    namespace: string | undefined,
    matches: (o: Obj) => boolean,
    query: Record<string, string>,
    res: http.ServerResponse,
  ): void {
    const from = Number(query.resourceVersion ?? '0');
    const compacted = this.compactedBelow.get(resource) ?? 0;
    if (!(from < compacted && this.options.goneAs === 'http')) {
      // The API server answers a watch at once and streams events later.
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
    }
    if (from < compacted && this.options.goneAs === 'http') {
      return sendJson(res, 410, { ...fixture<Obj>('status-410-expired.json'), message: `too old resource version: ${from} (${compacted})` });
    }
    if (from < compacted) {
      // API concepts, "410 Gone responses": the watch starts, then ends with an ERROR event carrying a 410 Status.
      res.end(
        `${JSON.stringify({ type: 'ERROR', object: { ...fixture<Obj>('status-410-expired.json'), message: `too old resource version: ${from} (${compacted})` } })}\n`,
      );
      return;
    }
    for (const h of this.history)
      if (h.resource === resource && h.rv > from && matches(h.object)) res.write(`${JSON.stringify({ type: h.type, object: h.object })}\n`);
    const watcher: Watcher = { resource, namespace, matches, res };
    this.watchers.add(watcher);
    const info = RESOURCES[resource]!;
    const bookmarks =
      query.allowWatchBookmarks === 'true'
        ? setInterval(
            () =>
              res.write(
                `${JSON.stringify({ type: 'BOOKMARK', object: { kind: info.kind, apiVersion: apiVersion(info), metadata: { resourceVersion: String(this.rv) } } })}\n`,
              ),
            this.options.bookmarkIntervalMs,
          )
        : undefined;
    const timeout = query.timeoutSeconds ? setTimeout(() => res.end(), Number(query.timeoutSeconds) * 1000) : undefined;
    res.on('close', () => {
      this.watchers.delete(watcher);
      if (bookmarks) clearInterval(bookmarks);
      if (timeout) clearTimeout(timeout);
    });
  }

  /** Test hooks: change an object the pod watch does not see, and compact a resource's history (etcd compaction). */
  touchService(): void {
    const svc = this.get('services', 'admin');
    svc.metadata.labels = { ...svc.metadata.labels, touched: String(this.rv) };
    this.put('services', svc, 'MODIFIED');
  }

  /** Deletes an object whose events were compacted away before any watch could see them. */
  deleteUnseen(resource: string, name: string): void {
    this.rv++;
    this.store.get(resource)!.delete(`shop/${name}`);
    this.compact(resource);
  }

  compact(resource: string): void {
    this.compactedBelow.set(resource, this.rv + 1);
  }

  currentResourceVersion(): number {
    return this.rv;
  }

  // ---------------------------------------------------------------- store

  private put(resource: string, object: Obj, type: 'ADDED' | 'MODIFIED' | 'DELETED' = 'ADDED'): Obj {
    const info = RESOURCES[resource]!;
    const full: Obj = { kind: info.kind, apiVersion: apiVersion(info), ...structuredClone(object) };
    this.rv++;
    full.metadata.resourceVersion = String(this.rv);
    const key = `${full.metadata.namespace}/${full.metadata.name}`;
    if (type === 'DELETED') this.store.get(resource)!.delete(key);
    else this.store.get(resource)!.set(key, full);
    this.history.push({ rv: this.rv, resource, type, object: full });
    for (const w of this.watchers) {
      if (w.resource === resource && w.matches(full)) w.res.write(`${JSON.stringify({ type, object: full })}\n`);
    }
    return full;
  }

  private get(resource: string, name: string): Obj {
    return structuredClone(this.store.get(resource)!.get(`shop/${name}`)!);
  }

  private patchDeployment(key: string, patch: Obj): Obj {
    const current = structuredClone(this.store.get('deployments')!.get(key)!);
    const next = strategicMerge(structuredClone(current), patch);
    const specChanged = JSON.stringify(next.spec) !== JSON.stringify(current.spec);
    if (specChanged) {
      next.metadata.generation = (current.metadata.generation ?? 1) + 1;
      // The controller creates a new ReplicaSet and bumps the revision when the template changes.
      const revision = Number(next.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '1');
      next.metadata.annotations = { ...next.metadata.annotations, 'deployment.kubernetes.io/revision': String(revision + 1) };
    }
    if (this.options.expirePodWatchOnPatch) {
      // Etcd compaction: every pod watch started before now is too old to resume.
      this.compactedBelow.set('pods', this.rv + 1);
      for (const w of [...this.watchers]) {
        if (w.resource !== 'pods') continue;
        w.res.end(`${JSON.stringify({ type: 'ERROR', object: fixture('status-410-expired.json') })}\n`);
        this.watchers.delete(w);
      }
    }
    const stored = this.put('deployments', next, 'MODIFIED');
    if (specChanged) this.rolloutDone = this.simulateRollout(stored.metadata.generation as number);
    return stored;
  }

  // ---------------------------------------------------------------- the rollout

  private async simulateRollout(generation: number): Promise<void> {
    const step = () => this.sleep(this.options.stepMs);
    const newHash = `7f9c8d5e${generation}b`;
    const deploy = () => this.get('deployments', 'web');
    const replicas = deploy().spec.replicas as number;
    const oldPods = [...this.store.get('pods')!.values()]
      .filter((p) => p.metadata.labels['pod-template-hash'] !== newHash)
      .map((p) => p.metadata.name as string);
    this.setStatus(
      { observedGeneration: generation, replicas, updatedReplicas: 0, readyReplicas: replicas, availableReplicas: replicas },
      { reason: 'ReplicaSetUpdated', status: 'True' },
    );
    let updated = 0;
    for (const old of oldPods) {
      // Scale up the new ReplicaSet by maxSurge (1): a new pod appears, Pending.
      const pod = this.newPod(newHash, 'pending');
      const name = pod.metadata.name as string;
      this.put('pods', pod);
      updated++;
      this.setStatus({
        observedGeneration: generation,
        replicas: replicas + 1,
        updatedReplicas: updated,
        readyReplicas: replicas,
        availableReplicas: replicas,
      });
      await step();
      if (this.closing) return;
      await this.startBackend(name);
      this.put('pods', podState(this.get('pods', name), 'running'), 'MODIFIED');
      await step();
      if (this.closing) return;
      if (this.options.scenario === 'stuck') {
        await step();
        await step();
        this.setStatus(
          { observedGeneration: generation, replicas: replicas + 1, updatedReplicas: updated, readyReplicas: replicas, availableReplicas: replicas },
          { status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "web-${newHash}" has timed out progressing.` },
        );
        return;
      }
      this.put('pods', podState(this.get('pods', name), 'ready'), 'MODIFIED');
      this.rotation.push(name);
      this.put('endpointslices', this.sliceFromPods(), 'MODIFIED');
      this.setStatus({
        observedGeneration: generation,
        replicas: replicas + 1,
        updatedReplicas: updated,
        readyReplicas: replicas + 1,
        availableReplicas: replicas + 1,
      });
      await step();
      if (this.closing) return;
      // Scale down the old ReplicaSet: delete one old pod (deletionTimestamp set, §1.1).
      this.put('pods', podState(this.get('pods', old), 'terminating'), 'MODIFIED');
      this.setStatus({ observedGeneration: generation, replicas, updatedReplicas: updated, readyReplicas: replicas, availableReplicas: replicas });
      if (this.options.scenario === 'abrupt') {
        // Immediate exit on SIGTERM while the endpoint is still routed to (the §1.3 race lost).
        this.killBackend(old, true);
        await step();
        await step();
        await step();
        this.removeFromRotation(old);
        this.put('endpointslices', this.sliceFromPods(), 'MODIFIED');
      } else {
        this.removeFromRotation(old);
        this.put('endpointslices', this.sliceFromPods(), 'MODIFIED');
        // preStop-like pause: requests routed just before the removal still reach a listening pod.
        await step();
        await step();
        this.killBackend(old, false);
      }
      if (this.closing) return;
      this.put('pods', podState(this.get('pods', old), 'exited', this.options.scenario === 'abrupt' ? 143 : 0), 'MODIFIED');
      this.put('endpointslices', this.sliceFromPods(), 'MODIFIED');
      await step();
      if (this.closing) return;
      this.put('pods', this.get('pods', old), 'DELETED');
    }
    const done = deploy();
    done.status = {
      ...done.status,
      observedGeneration: generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: conditions(done.status.conditions, {
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "web-${newHash}" has successfully progressed.`,
      }),
    };
    this.put('deployments', done, 'MODIFIED');
  }

  private setStatus(counters: Obj, progressing?: { status: string; reason: string; message?: string }): void {
    const d = this.get('deployments', 'web');
    d.status = { ...d.status, ...counters, ...(progressing ? { conditions: conditions(d.status.conditions, progressing) } : {}) };
    this.put('deployments', d, 'MODIFIED');
  }

  private newPod(hash: string, state: 'pending' | 'ready'): Obj {
    const pod = fixture('pod-web.json');
    const n = ++this.podSeq;
    pod.metadata.name = `web-${hash}-p${n}`;
    pod.metadata.generateName = `web-${hash}-`;
    pod.metadata.uid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    pod.metadata.labels['pod-template-hash'] = hash;
    pod.metadata.ownerReferences[0].name = `web-${hash}`;
    pod.status.podIP = `10.244.1.${10 + n}`;
    pod.status.podIPs = [{ ip: pod.status.podIP }];
    return state === 'ready' ? pod : podState(pod, 'pending');
  }

  /** The slice the EndpointSlice controller would write for service/web from the current pods (§1.3 podToEndpoint). */
  private sliceFromPods(): Obj {
    const slice = fixture('endpointslice-web.json');
    slice.endpoints = [...this.store.get('pods')!.values()]
      .filter((p) => p.status.podIP && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed')
      .map((p) => {
        const serving = (p.status.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
        const terminating = p.metadata.deletionTimestamp !== undefined;
        return {
          addresses: [p.status.podIP],
          conditions: { ready: serving && !terminating, serving, terminating },
          nodeName: p.spec.nodeName,
          targetRef: { kind: 'Pod', namespace: 'shop', name: p.metadata.name, uid: p.metadata.uid },
        };
      });
    return slice;
  }

  // ---------------------------------------------------------------- pods as processes-in-miniature

  private async startBackend(pod: string): Promise<void> {
    const sockets = new Set<Socket>();
    const server = http.createServer((_req, res) => {
      res.setHeader('x-zerodrop-pod', pod);
      res.end('ok\n');
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await listen(server);
    this.backends.set(pod, { server, port: (server.address() as AddressInfo).port, sockets });
  }

  private killBackend(pod: string, abrupt: boolean): void {
    const b = this.backends.get(pod);
    if (!b) return;
    b.server.close();
    if (abrupt) {
      for (const s of b.sockets) s.destroy();
      return;
    }
    // Graceful: stop accepting, let accepted connections finish their request (a connection
    // accepted but not yet parsed counts as idle, so closeIdleConnections would drop it), and
    // only then, bounded, close what is left.
    const t = setTimeout(() => {
      for (const s of b.sockets) s.destroy();
    }, 2000);
    this.timers.add(t);
  }

  private removeFromRotation(pod: string): void {
    const i = this.rotation.indexOf(pod);
    if (i >= 0) this.rotation.splice(i, 1);
  }

  /** The Service in front: new requests go only to endpoints in rotation (§1.4); a dead one answers 502 like an ingress. */
  private proxy(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.rotation.length === 0) {
      res.writeHead(503).end('no endpoints\n');
      return;
    }
    const pod = this.rotation[this.roundRobin++ % this.rotation.length]!;
    const backend = this.backends.get(pod);
    if (!backend) {
      res.writeHead(502).end('no backend\n');
      return;
    }
    const upstream = http.get({ host: '127.0.0.1', port: backend.port, path: req.url, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, { 'x-zerodrop-pod': String(up.headers['x-zerodrop-pod'] ?? pod) });
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'x-zerodrop-pod': pod }).end('bad gateway\n');
      else res.destroy();
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }
}

// ------------------------------------------------------------------ helpers

function podState(pod: Obj, state: 'pending' | 'running' | 'ready' | 'not-ready' | 'terminating' | 'exited', exitCode = 0): Obj {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const setReady = (v: 'True' | 'False') => {
    for (const c of pod.status.conditions) if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = v;
  };
  const cs = pod.status.containerStatuses[0];
  switch (state) {
    case 'pending':
      pod.status.phase = 'Pending';
      delete pod.status.podIP;
      delete pod.status.podIPs;
      setReady('False');
      cs.state = { waiting: { reason: 'ContainerCreating' } };
      cs.ready = false;
      cs.started = false;
      break;
    case 'running': {
      pod.status.phase = 'Running';
      const n = Number(/p(\d+)$/.exec(pod.metadata.name)?.[1] ?? '0');
      pod.status.podIP = `10.244.1.${10 + n}`;
      pod.status.podIPs = [{ ip: pod.status.podIP }];
      cs.state = { running: { startedAt: now } };
      cs.started = true;
      break;
    }
    case 'ready':
      setReady('True');
      cs.ready = true;
      break;
    case 'not-ready':
      setReady('False');
      cs.ready = false;
      break;
    case 'terminating':
      pod.metadata.deletionTimestamp = now;
      pod.metadata.deletionGracePeriodSeconds = 30;
      break;
    case 'exited':
      pod.status.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
      setReady('False');
      cs.ready = false;
      cs.state = { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now } };
      break;
  }
  return pod;
}

function conditions(existing: Obj[] | undefined, progressing: { status: string; reason: string; message?: string }): Obj[] {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const others = (existing ?? []).filter((c) => c.type !== 'Progressing');
  return [
    ...others,
    {
      type: 'Progressing',
      status: progressing.status,
      reason: progressing.reason,
      message: progressing.message ?? '',
      lastUpdateTime: now,
      lastTransitionTime: now,
    },
  ];
}

/** Strategic merge for the shapes zerodrop sends: maps merge, containers merge by name. */
export function strategicMerge(target: Obj, patch: Obj): Obj {
  for (const [k, v] of Object.entries(patch)) {
    if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
      const list: Obj[] = Array.isArray(target[k]) ? target[k] : [];
      for (const item of v as Obj[]) {
        const i = list.findIndex((c) => c.name === item.name);
        if (i >= 0) list[i] = strategicMerge(list[i]!, item);
        else list.push(item);
      }
      target[k] = list;
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      target[k] = strategicMerge(target[k] && typeof target[k] === 'object' ? target[k] : {}, v as Obj);
    } else if (v === null) {
      delete target[k];
    } else {
      target[k] = v;
    }
  }
  return target;
}

function apiVersion(info: ResourceInfo): string {
  const version = info.group === 'autoscaling' ? 'v2' : 'v1';
  return info.group === '' ? version : `${info.group}/${version}`;
}

function qualified(resource: string): string {
  const g = RESOURCES[resource]?.group;
  return g ? `${resource}.${g}` : resource;
}

function parsePath(pathname: string): { resource: string; namespace?: string; name?: string } | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const rest = parts[0] === 'api' ? parts.slice(2) : parts[0] === 'apis' ? parts.slice(3) : undefined;
  if (!rest || rest.length === 0) return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) return { namespace: rest[1]!, resource: rest[2]!, ...(rest[3] !== undefined ? { name: rest[3] } : {}) };
  return { resource: rest[0]!, ...(rest[1] !== undefined ? { name: rest[1] } : {}) };
}

/** Label selectors `a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`; field selector `metadata.name=x` / `metadata.namespace=x`. */
export function selectorFilter(labelSelector: string | undefined, fieldSelector: string | undefined, namespace: string | undefined): (o: Obj) => boolean {
  const requirements: Array<(labels: Record<string, string>) => boolean> = [];
  for (const part of (labelSelector ?? '').match(/[^,(]+(\([^)]*\))?/g) ?? []) {
    const p = part.trim();
    if (p === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const [, key, op, vals] = m;
      const set = vals!.split(',').map((s) => s.trim());
      requirements.push((l) => (op === 'in' ? l[key!] !== undefined && set.includes(l[key!]!) : l[key!] === undefined || !set.includes(l[key!]!)));
    } else if ((m = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(p))) {
      const [, key, op, val] = m;
      requirements.push((l) => (op === '!=' ? l[key!] !== val : l[key!] === val));
    } else if (p.startsWith('!')) requirements.push((l) => l[p.slice(1)] === undefined);
    else requirements.push((l) => l[p] !== undefined);
  }
  const fields: Array<[string, string]> = (fieldSelector ?? '')
    .split(',')
    .filter(Boolean)
    .map((f) => f.split('=') as [string, string]);
  return (o) => {
    if (namespace !== undefined && o.metadata?.namespace !== namespace) return false;
    const labels = o.metadata?.labels ?? {};
    if (!requirements.every((r) => r(labels))) return false;
    return fields.every(([k, v]) => (k === 'metadata.name' ? o.metadata?.name === v : k === 'metadata.namespace' ? o.metadata?.namespace === v : true));
  };
}

function sendJson(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendStatus(res: http.ServerResponse, code: number, reason: string, message: string): void {
  sendJson(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
  });
}

function listen(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
}

/** A kubeconfig pointing at the fake (plain HTTP, bearer token), written as kubectl would read it. */
export function kubeconfigYaml(server: string, options: { context?: string; namespace?: string; token?: string } = {}): string {
  const context = options.context ?? 'fake';
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${context}`,
    'clusters:',
    `- name: ${context}-cluster`,
    '  cluster:',
    `    server: ${server}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}-cluster`,
    `    user: ${context}-user`,
    `    namespace: ${options.namespace ?? 'shop'}`,
    'users:',
    `- name: ${context}-user`,
    '  user:',
    `    token: ${options.token ?? FAKE_TOKEN}`,
    '',
  ].join('\n');
}
