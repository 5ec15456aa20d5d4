import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLabFile } from '../config/labFile.js';
import { listen } from '../proxy/listen.js';
import { PACKAGE_ROOT } from '../scenarios/catalog.js';
import { HealthChecker, httpProbe, tcpProbe } from './healthChecks.js';
import { linkerdInjection } from './mesh-sidecar.js';
import { choosePath, resolveProfile } from './profile.js';
import { startTraffic } from './traffic.js';
import { EventStream } from '../../events/stream.js';
import type { TrafficPath } from '../../k8s/trafficPaths.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function server(status: () => number): Promise<{ server: Server; port: number }> {
  const s = createServer((_req, res) => {
    res.writeHead(status());
    res.end();
  });
  servers.push(s);
  return { server: s, port: await listen(s, '127.0.0.1', 0) };
}

const waitFor = async (what: () => boolean, ms: number): Promise<void> => {
  const until = Date.now() + ms;
  while (!what() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
};

describe('HealthChecker: a load balancer health-checking its targets', () => {
  it('takes a target out after exactly unhealthyThreshold failed checks, and back after healthyThreshold passes', async () => {
    let code = 200;
    let answered = 0;
    const { port } = await server(() => {
      answered++;
      return code;
    });
    const changes: Array<[boolean, number]> = [];
    const checks = new HealthChecker({ intervalSeconds: 0.05, unhealthyThreshold: 3, healthyThreshold: 2, timeoutSeconds: 0.05 }, (_key, healthy) =>
      changes.push([healthy, answered]),
    );
    checks.add('a', httpProbe('127.0.0.1', port, '/healthz'), true);
    await waitFor(() => answered >= 2, 2000);
    expect(checks.isHealthy('a')).toBe(true);
    code = 503;
    const failingFrom = answered;
    await waitFor(() => changes.length === 1, 3000);
    // The third failed check (counted by the server itself) is the one that takes it out.
    expect(changes[0]).toEqual([false, failingFrom + 3]);
    expect(checks.isHealthy('a')).toBe(false);
    code = 200;
    const passingFrom = answered;
    await waitFor(() => changes.length === 2, 3000);
    expect(changes[1]).toEqual([true, passingFrom + 2]);
    checks.close();
    const after = answered;
    await new Promise((r) => setTimeout(r, 150));
    expect(answered).toBe(after);
  });

  it('counts a target that stops listening as failing, over HTTP and over TCP', async () => {
    const { server: s, port } = await server(() => 200);
    const http = httpProbe('127.0.0.1', port);
    const tcp = tcpProbe('127.0.0.1', port);
    expect([await http(500), await tcp(500)]).toEqual([true, true]);
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
    servers.splice(servers.indexOf(s), 1);
    expect([await http(500), await tcp(500)]).toEqual([false, false]);
  });
});

describe('resolveProfile: a path of PATH_BUDGETS with its numbers', () => {
  const o = { propagationSeconds: 3, replicas: 2, maxSurge: 1, from: 'lab file' };
  it('takes the table default and the load balancer’s default health check', () => {
    const p = resolveProfile({ kind: 'aws-alb-ip' }, o);
    expect(p).toMatchObject({
      mechanics: 'ip-targets',
      removalSeconds: 30,
      pinsConnections: false,
      healthCheck: { intervalSeconds: 15, unhealthyThreshold: 2 },
    });
    expect(resolveProfile({ kind: 'aws-nlb-ip' }, o)).toMatchObject({ removalSeconds: 120, pinsConnections: true });
  });
  it('under externalTrafficPolicy: Local, keeps removal = interval × threshold and gives every pod a node', () => {
    expect(resolveProfile({ kind: 'node-local', removalSeconds: 6 }, o)).toMatchObject({
      removalSeconds: 6,
      healthCheck: { intervalSeconds: 2, unhealthyThreshold: 3 },
      nodes: 3,
    });
    expect(resolveProfile({ kind: 'node-local', healthCheck: { intervalSeconds: 1, unhealthyThreshold: 2 } }, o)).toMatchObject({ removalSeconds: 2 });
  });
  it('leaves in-cluster paths to the proxy, at the propagation time', () => {
    expect(resolveProfile({ kind: 'mesh' }, o)).toMatchObject({ mechanics: 'proxy', removalSeconds: 3 });
    expect(resolveProfile({ kind: 'mesh' }, o).healthCheck).toBeUndefined();
  });
});

describe('choosePath: the manifests’ slowest path, or the lab file’s', () => {
  const alb: TrafficPath = {
    kind: 'aws-alb-ip',
    via: [],
    description: 'AWS ALB (IP targets) through Ingress shop/web → Service shop/web port 80',
    removalSeconds: 8,
    removalFrom: 'annotation',
    setBy: 'zerodrop.dev/removal-seconds on Ingress shop/web',
    pinsConnections: false,
    assumptions: [],
  };
  it('replays the manifests’ load-balancer path, with the lab file’s numbers laid over it', () => {
    expect(choosePath(alb, undefined, 'lab file')).toMatchObject({ setting: { kind: 'aws-alb-ip', removalSeconds: 8 } });
    const laid = choosePath(alb, { healthCheck: { intervalSeconds: 5 } }, 'lab file');
    expect(laid).toMatchObject({ setting: { kind: 'aws-alb-ip', removalSeconds: 8, healthCheck: { intervalSeconds: 5 } } });
    expect((laid as { from: string }).from).toMatch(/zerodrop.dev\/removal-seconds on Ingress shop\/web, with the lab file's numbers/);
  });
  it('lets a kind in the lab file win, leaves in-cluster paths to the proxy, and refuses numbers with nothing to lay them over', () => {
    expect(choosePath(alb, { kind: 'node-local' }, 'lab file')).toMatchObject({ setting: { kind: 'node-local' }, from: 'lab file' });
    expect(choosePath({ ...alb, kind: 'kube-proxy', removalSeconds: 5 }, undefined, 'lab file')).toBeUndefined();
    expect(choosePath(undefined, { nodes: 2 }, 'lab file')).toEqual({ problem: expect.stringMatching(/no load-balancer path .*they show no Service/) });
  });
});

describe('lab file trafficPath', () => {
  const write = (body: string): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zerodrop-trafficpath-'));
    const file = path.join(dir, 'x.lab.yaml');
    writeFileSync(file, `manifests: [a.yaml]\n${body}`);
    return file;
  };
  it('reads kind, removal seconds, health check and nodes', () => {
    const lab = readLabFile(
      write('trafficPath:\n  kind: node-local\n  removalSeconds: 6\n  healthCheck: { intervalSeconds: 2, unhealthyThreshold: 3 }\n  nodes: 4\n'),
    );
    expect(lab.trafficPath).toEqual({ kind: 'node-local', removalSeconds: 6, healthCheck: { intervalSeconds: 2, unhealthyThreshold: 3 }, nodes: 4 });
  });
  it.each([
    ['trafficPath: { kind: elb }', /kind must be one of kube-proxy, .*node-local/],
    ['trafficPath: { kind: node-local, nodes: 0 }', /nodes must be a whole number above 0 and at most 20/],
    ['trafficPath: { kind: aws-alb-ip, healthCheck: { interval: 5 } }', /healthCheck: unknown key "interval"/],
    ['trafficPath: { kind: aws-alb-ip, healthCheck: { unhealthyThreshold: 2.5 } }', /unhealthyThreshold must be a whole number/],
    ['trafficPath: { kind: aws-alb-ip, delay: 5 }', /unknown key "delay"/],
  ])('refuses %s with the line', (body, message) => {
    const file = write(`rate: 10\n${body}\n`);
    expect(() => readLabFile(file)).toThrow(message);
    try {
      readLabFile(file);
    } catch (err) {
      expect((err as { position?: { line?: number } }).position?.line).toBe(3);
    }
  });
});

describe('linkerdInjection: what Linkerd’s injector adds, from the annotations', () => {
  it('follows linkerd.io/inject on the pod template or its Namespace; disabled on the pod wins', () => {
    expect(linkerdInjection({ 'linkerd.io/inject': 'enabled' }, undefined)).toMatchObject({ waitBeforeExitSeconds: 0, native: false });
    expect(linkerdInjection(undefined, { 'linkerd.io/inject': 'enabled', 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds': '40' })).toMatchObject({
      waitBeforeExitSeconds: 40,
      reason: 'Namespace default annotation linkerd.io/inject: enabled',
    });
    expect(linkerdInjection({ 'linkerd.io/inject': 'disabled' }, { 'linkerd.io/inject': 'enabled' })).toBeUndefined();
    expect(linkerdInjection({}, undefined)).toBeUndefined();
    expect(linkerdInjection({ 'linkerd.io/inject': 'enabled', 'config.beta.linkerd.io/proxy-enable-native-sidecar': 'true' }, undefined)?.native).toBe(true);
    expect(linkerdInjection({ 'linkerd.io/inject': 'enabled', 'config.linkerd.io/proxy-enable-native-sidecar': 'false' }, undefined)?.native).toBe(false);
    expect(linkerdInjection({ 'linkerd.io/inject': 'enabled' }, undefined, { hostNetwork: true })).toBeUndefined();
  });
});

describe('the Linkerd proxy stand-in (src/lab/images/linkerd-proxy.ts, as built)', () => {
  it('forwards to the app, and on SIGTERM refuses new connections at once while the request in flight finishes, then exits', async () => {
    const app = createServer((req, res) => setTimeout(() => res.end(`app ${req.url}`), req.url === '/slow' ? 400 : 0));
    servers.push(app);
    const appPort = await listen(app, '127.0.0.1', 0);
    const free = async (): Promise<number> => {
      const s = createServer();
      const p = await listen(s, '127.0.0.1', 0);
      await new Promise((r) => s.close(r));
      return p;
    };
    const [inbound, admin] = [await free(), await free()];
    const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'dist', 'lab', 'images', 'linkerd-proxy.js')], {
      env: {
        LINKERD2_PROXY_INBOUND_LISTEN_ADDR: `127.0.0.1:${inbound}`,
        LINKERD2_PROXY_ADMIN_LISTEN_ADDR: `127.0.0.1:${admin}`,
        ZERODROP_MESH_APP_ADDR: `127.0.0.1:${appPort}`,
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    try {
      const get = (port: number, p: string): Promise<{ status?: number; body?: string; code?: string }> =>
        new Promise((resolve) => {
          const req = request({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          });
          req.on('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code! }));
          req.end();
        });
      let ready: { status?: number } = {};
      for (let i = 0; i < 100 && ready.status !== 200; i++) {
        ready = await get(admin, '/ready');
        if (ready.status !== 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(await get(inbound, '/x')).toEqual({ status: 200, body: 'app /x' });
      const inFlight = get(inbound, '/slow');
      await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100));
      expect((await get(inbound, '/new')).code).toBe('ECONNREFUSED');
      expect(await inFlight).toEqual({ status: 200, body: 'app /slow' });
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('node-local traffic before the measured window', () => {
  it('starts converged with the provider’s 10 s × 3 checks: a node with a ready pod is in, an empty one is out, no check interval waited', async () => {
    const { port } = await server(() => 200);
    const profile = resolveProfile({ kind: 'node-local' }, { propagationSeconds: 2, replicas: 1, maxSurge: 1, from: 'test' });
    expect(profile.healthCheck?.intervalSeconds).toBe(10);
    const traffic = await startTraffic({ events: new EventStream('t'), proxy: { mode: 'l7', retries: 0 }, propagation: { minMs: 0, maxMs: 0 }, profile });
    try {
      traffic.podCreated!('a');
      const local = { pod: 'a', host: '127.0.0.1', port, conditions: { ready: true, serving: true, terminating: false } };
      for (const c of traffic.consumers) {
        const mine = c.select!('a');
        await c.setEndpoints(mine ? [{ name: 'a', host: '127.0.0.1', port }] : [], mine ? [local] : []);
      }
      expect(traffic.converged(new Set(['a']))).toBe(false);
      traffic.settle!();
      expect(traffic.converged(new Set(['a']))).toBe(true);
      expect(traffic.front.endpoints().map((e) => e.name)).toEqual(['node-1']);
      const status = await new Promise<number>((resolve) => request(traffic.url, { agent: false }, (res) => resolve(res.statusCode!)).end());
      expect(status).toBe(200);
    } finally {
      await traffic.close();
    }
  });
});
