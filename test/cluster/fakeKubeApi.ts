/**
 * A fake Kubernetes API server for the calls zerodrop makes, at the HTTP boundary only, plain or
 * HTTPS (its own CA and client certificates, made at test time). It follows the documented wire
 * shapes (API concepts: list/watch with resourceVersion, paged lists, bookmarks, 410 Gone as a
 * watch ERROR event; metav1.Status error bodies; discovery), is driven by the recorded-style
 * fixtures in test/fixtures/k8s-api/, and is checked against real kubectl
 * (test/cluster/kubectlOracle.test.ts). Its parts, one file each under fake/: the object store,
 * the watch hub, the router, the Deployment controller that plays rollouts, the pods as loopback
 * servers behind a Service-like proxy, discovery, and kubeconfig files.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeploymentController, type ControllerOptions } from './fake/deploymentController.js';
import { DEFAULT_SERVER_VERSION, type ServerVersion } from './fake/discovery.js';
import { FIXTURES, fixture } from './fake/fixtures.js';
import { listen, PodBackends } from './fake/podBackends.js';
import { resourceOfKind } from './fake/resources.js';
import { ApiRouter, type LoggedRequest, type PatchRejection, type Throttle } from './fake/router.js';
import { ObjectStore, type StoredChange } from './fake/store.js';
import { testPki, type TestPki } from './fake/testPki.js';
import { WatchHub, type WatchFault } from './fake/watchHub.js';

export { fixture } from './fake/fixtures.js';
export { kubeconfigYaml, kubeconfigObject, type KubeconfigSpec } from './fake/kubeconfig.js';
export { strategicMerge } from './fake/strategicMerge.js';
export { selectorFilter } from './fake/selectors.js';
export { FAKE_TOKEN, FAKE_USER, type LoggedRequest } from './fake/router.js';
export { PROXY_ONLY_HOST, CLIENT_CERT_USER, testPki, type TestPki } from './fake/testPki.js';

export interface FakeOptions extends Partial<ControllerOptions> {
  /** Answer 403 to these verb/resource pairs (also in SelfSubjectAccessReview answers). */
  forbid?: Array<{ verb: string; resource: string }>;
  /** On PATCH, expire every open pod watch with a 410 ERROR event and compact history. */
  expirePodWatchOnPatch?: boolean;
  /** Bookmarks on watches that allow them; real servers send one about every minute. */
  bookmarkIntervalMs?: number;
  /** Serve these extra objects (audit --cluster): fixture file names under live/. */
  live?: boolean;
  /** Answer the Deployment PATCH with this Status (a code alone: an admission webhook's denial) instead of applying it. */
  rejectPatch?: number | PatchRejection;
  /** Admission takes this long before the PATCH is applied and answered. */
  patchDelayMs?: number;
  /** How a watch from a compacted resourceVersion is refused: a 200 stream with one ERROR event (default) or an HTTP 410 Status. */
  goneAs?: 'event' | 'http';
  /** HTTPS with the test PKI: a client certificate or the bearer token authenticates. */
  tls?: boolean;
  throttle?: Throttle[];
  watchFaults?: WatchFault[];
  requireToken?: boolean;
  serverVersion?: ServerVersion;
  expireContinue?: boolean;
}

export class FakeKubeApi {
  url = '';
  frontUrl = '';
  readonly pki: TestPki | undefined;
  private readonly store = new ObjectStore();
  private readonly pods = new PodBackends();
  private readonly hub: WatchHub;
  private readonly controller: DeploymentController;
  private readonly router: ApiRouter;
  private api: http.Server | https.Server | undefined;
  private readonly forbidden: Array<{ verb: string; resource: string }>;

  constructor(private readonly options: FakeOptions = {}) {
    const stepMs = options.stepMs ?? 250;
    this.pki = options.tls ? testPki() : undefined;
    this.hub = new WatchHub(this.store, {
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      goneAs: options.goneAs ?? 'event',
      faults: structuredClone(options.watchFaults ?? []),
    });
    this.controller = new DeploymentController(this.store, this.pods, {
      scenario: options.scenario ?? 'graceful',
      stepMs,
      terminationMs: options.terminationMs ?? 2 * stepMs,
      graceSeconds: options.graceSeconds,
      terminatingReplicas: options.terminatingReplicas ?? false,
      initialNotReady: options.initialNotReady ?? false,
    });
    const reject = options.rejectPatch;
    this.forbidden = [...(options.forbid ?? [])];
    this.router = new ApiRouter(
      this.store,
      this.hub,
      {
        patch: (body) => {
          // Etcd compaction: every pod watch started before now is too old to resume.
          if (options.expirePodWatchOnPatch) this.hub.expire('pods');
          return this.controller.patch(body);
        },
      },
      {
        forbid: this.forbidden,
        rejectPatch:
          typeof reject === 'number'
            ? {
                code: reject,
                reason: reject === 403 ? 'Forbidden' : 'Invalid',
                message: 'admission webhook "policy.example.com" denied the request: deployments.apps "web" must not change on Fridays',
              }
            : reject,
        patchDelayMs: options.patchDelayMs ?? 0,
        throttle: structuredClone(options.throttle ?? []),
        requireToken: options.requireToken ?? false,
        serverVersion: options.serverVersion ?? DEFAULT_SERVER_VERSION,
        expireContinue: options.expireContinue ?? false,
      },
      () => new URL(this.url).host,
    );
  }

  get requests(): LoggedRequest[] {
    return this.router.requests;
  }

  /** Bearer tokens the fake accepts (FAKE_TOKEN to begin with). */
  get acceptedTokens(): Set<string> {
    return this.router.acceptedTokens;
  }

  /** Every stored change, in order: what a watch from resourceVersion 0 would replay. */
  get history(): readonly StoredChange[] {
    return this.store.history;
  }

  get rolloutDone(): Promise<void> {
    return this.controller.rolloutDone;
  }

  get port(): number {
    return (this.api!.address() as AddressInfo).port;
  }

  async start(): Promise<void> {
    await this.controller.seed();
    if (this.options.live) {
      for (const file of readdirSync(join(FIXTURES, 'live')).sort()) {
        const o = fixture(`live/${file}`);
        const resource = resourceOfKind(o.kind);
        if (resource) this.store.put(resource, o);
      }
    }
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.router.handle(req, res);
    this.api = this.pki
      ? https.createServer(
          { key: this.pki.serverKeyPem, cert: this.pki.serverCertPem, ca: [this.pki.caPem], requestCert: true, rejectUnauthorized: false },
          handler,
        )
      : http.createServer(handler);
    await Promise.all([listen(this.api), this.pods.start()]);
    this.url = `${this.pki ? 'https' : 'http'}://127.0.0.1:${this.port}`;
    this.frontUrl = this.pods.url;
  }

  async close(): Promise<void> {
    this.controller.close();
    this.hub.close();
    await this.pods.close();
    const api = this.api;
    if (api)
      await new Promise<void>((r) => {
        api.closeAllConnections();
        api.close(() => r());
      });
  }

  patches(): LoggedRequest[] {
    return this.requests.filter((r) => r.method === 'PATCH');
  }

  count(method: string, pathPrefix: string, watch?: boolean): number {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix) && (watch === undefined || (r.query.watch === 'true') === watch))
      .length;
  }

  /** Moves the global resourceVersion without touching pods. */
  touchService(): void {
    const svc = this.store.get('services', 'admin');
    svc.metadata.labels = { ...svc.metadata.labels, touched: String(this.store.rv) };
    this.store.put('services', svc, 'MODIFIED');
  }

  /** Deletes an object whose events were compacted away before any watch could see them. */
  deleteUnseen(resource: string, name: string): void {
    this.store.deleteUnseen(resource, name);
  }

  compact(resource: string): void {
    this.store.compact(resource);
  }

  currentResourceVersion(): number {
    return this.store.rv;
  }

  /** RBAC changes under a running client: from now on, answer 403 to this verb on this resource. */
  forbid(verb: string, resource: string): void {
    this.forbidden.push({ verb, resource });
  }

  addWatchFault(fault: WatchFault): void {
    this.hub.addFault(fault);
  }

  /** Etcd compaction under open watches of `resource`: each ends with a 410 ERROR event. */
  expireWatches(resource: string): void {
    this.hub.expire(resource);
  }

  /** What an HPA (or kubectl scale) does: change spec.replicas only. */
  scaleTo(replicas: number): void {
    this.controller.patch({ spec: { replicas } });
  }

  relabelPod(name: string, labels: Record<string, string | null>): void {
    this.controller.relabelPod(name, labels);
  }

  addPendingPod(): string {
    return this.controller.addPendingPod();
  }

  deletePodNow(name: string): void {
    this.controller.deletePodNow(name);
  }

  podNames(): string[] {
    return this.store.all('pods').map((p) => p.metadata.name as string);
  }

  openWatches(resource: string): number {
    return this.hub.openCount(resource);
  }
}
