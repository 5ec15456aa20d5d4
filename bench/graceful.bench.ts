/**
 * `npm run bench -- graceful`: zerodrop/graceful against the peers on one harness, then the
 * per-request cost of attaching it.
 *
 * Drop test (docs/reference/graceful-libraries.md#design, rebuilt): keep-alive clients send at a fixed rate through the lab's
 * L4 proxy, a kube-proxy-like Service (new connections go to the current endpoint, open ones stay
 * pinned, docs/reference/traffic-routing.md#kube-proxy). SIGTERM reaches backend A; endpoint removal reaches the switch
 * PROPAGATION_MS later (docs/reference/traffic-routing.md#propagation-latency), or LATE_PROPAGATION_MS later, beyond the drain delay, as when an
 * ingress controller's sync or a cloud load balancer's deregistration lags; every variant keeps
 * serving for the same DRAIN_DELAY_MS, as its README recommends for Kubernetes; SIGKILL comes
 * KILL_AFTER_MS after SIGTERM (a scaled-down terminationGracePeriodSeconds, docs/reference/pod-termination.md#kubelet-sequence). No client
 * retries: every error or non-200 counts.
 *
 * Then the same against real nginx (reload) and real HAProxy (runtime API) in front of pods A and
 * B (bench/support/proxy-drain.ts), on time and late, counting the client and the proxy→pod hop
 * apart.
 *
 * Overhead: closed-loop load on a bare node:http server, a second bare server (an A/A control:
 * what the measurement alone yields) and the same server with graceful() attached, in rotating
 * rounds from one process, medians of per-round ratios compared.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { seededRandom } from '../dist/lab/endpoints/delay.js';
import { startL4Proxy } from '../dist/lab/proxy/index.js';
import { NGINX_BINARY } from '../dist/lab/proxy/nginx-ingress.js';
import { HAPROXY_BINARY, killAllHaproxy } from './support/haproxy.js';
import { hotPathCost } from './support/hot-path.js';
import { openLoop, pickDuration } from './support/open-loop.js';
import { drainThroughProxy, startFrontProxy, type DrainRunResult, type ProxyKind } from './support/proxy-drain.js';

const RATE_PER_SECOND = 400;
const POOL_SOCKETS = 16;
const WARMUP_MS = 600;
const PROPAGATION_MS = 500;
const LATE_PROPAGATION_MS = 1_300;
const DRAIN_DELAY_MS = 1_000;
/** zerodrop-adaptive: traffic must have stopped this long (at 400 req/s a gap of 400 ms is unmistakable). */
const QUIET_PERIOD_MS = 400;
const TIMEOUT_MS = 3_500;
const KILL_AFTER_MS = 4_000;
const TAIL_MS = 300;
const SEEDS = Array.from({ length: Number(process.env.GRACEFUL_BENCH_SEEDS ?? 2) }, (_, i) => i + 1);
/** Request sizes: most are fast, a few are slow enough to be in flight at drain start. */
const MIX: [probability: number, ms: number][] = [
  [0.9, 2],
  [0.08, 50],
  [0.02, 500],
];
const LONGEST_MS = Math.max(...MIX.map(([, ms]) => ms));

const VARIANTS = [
  'zerodrop',
  'zerodrop-adaptive',
  'lightship+http-terminator',
  'lightship+close',
  'terminus',
  'http-terminator',
  'stoppable',
  'close-with-grace+fastify',
  'node-close',
] as const;
type ClientKind = 'node:http' | 'undici';
const CLIENTS: ClientKind[] = ['node:http', 'undici'];
/** Behind nginx and HAProxy: graceful in both modes beside the best-known peers. */
const PROXY_VARIANTS = ['zerodrop', 'zerodrop-adaptive', 'lightship+http-terminator', 'terminus', 'stoppable', 'close-with-grace+fastify'] as const;

const serverScript = fileURLToPath(new URL('./support/graceful-peer-server.js', import.meta.url));

interface Backend {
  port: number;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const children = new Set<ChildProcess>();
function killAll(): void {
  for (const c of children) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
process.once('exit', killAll);
for (const s of ['SIGINT', 'SIGTERM'] as const) {
  process.once(s, () => {
    killAll();
    killAllHaproxy();
    process.exit(130);
  });
}

async function startBackend(variant: string, name: string): Promise<Backend> {
  const child = spawn(process.execPath, [serverScript, variant, name], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      TIMEOUT_MS: String(TIMEOUT_MS),
      QUIET_PERIOD_MS: String(QUIET_PERIOD_MS),
      KUBERNETES_SERVICE_HOST: '',
    },
  });
  children.add(child);
  child.stderr!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal, at: performance.now() });
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    void exited.then(() => reject(new Error(`${variant} exited before listening`)));
  });
  return { port, child, exited };
}

interface Outcome {
  ok: boolean;
  kind: string;
  backend?: string;
  endedAt: number;
}

type Send = (path: string) => Promise<Outcome>;

function makeClient(kind: ClientKind, port: number): { send: Send; close: () => Promise<void> } {
  if (kind === 'node:http') {
    const agent = new http.Agent({ keepAlive: true, maxSockets: POOL_SOCKETS });
    return {
      send: (path) =>
        new Promise((resolve) => {
          const req = http.get({ agent, host: '127.0.0.1', port, path, timeout: 8_000 }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () =>
              resolve({ ok: res.statusCode === 200, kind: res.statusCode === 200 ? 'ok' : String(res.statusCode), backend: body, endedAt: performance.now() }),
            );
            res.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, kind: e.code ?? e.message, endedAt: performance.now() }));
          });
          req.on('timeout', () => req.destroy(new Error('timeout')));
          req.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, kind: e.code ?? e.message, endedAt: performance.now() }));
        }),
      close: async () => agent.destroy(),
    };
  }
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: POOL_SOCKETS, pipelining: 1 });
  return {
    send: async (path) => {
      try {
        const res = await pool.request({ path, method: 'GET', headersTimeout: 8_000, bodyTimeout: 8_000 });
        const body = await res.body.text();
        return { ok: res.statusCode === 200, kind: res.statusCode === 200 ? 'ok' : String(res.statusCode), backend: body, endedAt: performance.now() };
      } catch (e) {
        const err = e as Error & { code?: string };
        return { ok: false, kind: err.code ?? err.message, endedAt: performance.now() };
      }
    },
    close: () => pool.close(),
  };
}

interface Row {
  variant: string;
  propagationMs: number;
  client: ClientKind;
  seed: number;
  requests: number;
  failed: number;
  kinds: Record<string, number>;
  exit: string;
  shutdownMs: number;
  /** Exit time minus max(drain delay end, last response from A). */
  overshootMs: number;
}

async function dropRun(variant: string, clientKind: ClientKind, seed: number, propagationMs: number, b: Backend): Promise<Row> {
  const a = await startBackend(variant, 'A');
  // The lab's kube-proxy-like Service: new connections go to the current endpoints, open ones
  // stay pinned (docs/reference/traffic-routing.md#kube-proxy).
  const proxy = await startL4Proxy({ endpoints: [{ name: 'A', host: '127.0.0.1', port: a.port }] });
  const client = makeClient(clientKind, proxy.port);
  // Deterministic per seed, so every variant sees the same request sequence.
  const random = seededRandom(seed);
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined;
  void a.exited.then((e) => (exitInfo = e));
  let signalAt = 0;
  let killTimer: NodeJS.Timeout | undefined;
  const outcomes = await openLoop({
    ratePerSecond: RATE_PER_SECOND,
    maxRequests: RATE_PER_SECOND * ((WARMUP_MS + KILL_AFTER_MS + TAIL_MS) / 1000 + 1),
    stopAt: (elapsed) => {
      if (!signalAt && elapsed >= WARMUP_MS) {
        signalAt = performance.now();
        a.child.kill('SIGTERM');
        setTimeout(() => void proxy.setEndpoints([{ name: 'B', host: '127.0.0.1', port: b.port }]), propagationMs);
        killTimer = setTimeout(() => a.child.kill('SIGKILL'), KILL_AFTER_MS);
      }
      return exitInfo !== undefined && performance.now() - exitInfo.at > TAIL_MS;
    },
    send: () => client.send(`/work?ms=${pickDuration(MIX, random)}`),
  });
  const exit = await a.exited;
  clearTimeout(killTimer);
  await client.close();
  await proxy.close();
  const kinds: Record<string, number> = {};
  for (const o of outcomes) if (!o.ok) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
  const lastFromA = Math.max(0, ...outcomes.filter((o) => o.backend === 'A').map((o) => o.endedAt));
  return {
    variant,
    propagationMs,
    client: clientKind,
    seed,
    requests: outcomes.length,
    failed: outcomes.filter((o) => !o.ok).length,
    kinds,
    exit: exit.signal ? exit.signal : String(exit.code),
    shutdownMs: Math.round(exit.at - signalAt),
    overshootMs: Math.round(exit.at - Math.max(signalAt + DRAIN_DELAY_MS, lastFromA)),
  };
}

interface ProxyRow {
  proxy: ProxyKind;
  removalMs: number;
  variant: string;
  seed: number;
  result: DrainRunResult;
}

/** The same drain behind real nginx or HAProxy, removal on time or late (bench/support/proxy-drain.ts). */
async function proxyRun(kind: ProxyKind, variant: string, seed: number, removalMs: number, b: Backend): Promise<ProxyRow> {
  const a = await startBackend(variant, 'A');
  const proxy = await startFrontProxy(kind, { name: 'A', port: a.port }, { name: 'B', port: b.port });
  let killTimer: NodeJS.Timeout | undefined;
  try {
    const result = await drainThroughProxy({
      proxy,
      signalA: () => {
        a.child.kill('SIGTERM');
        killTimer = setTimeout(() => a.child.kill('SIGKILL'), KILL_AFTER_MS);
      },
      aExited: a.exited,
      removeAfterMs: removalMs,
      drainDelayMs: DRAIN_DELAY_MS,
      ratePerSecond: RATE_PER_SECOND,
      connections: POOL_SOCKETS,
      warmupMs: WARMUP_MS,
      tailMs: TAIL_MS,
      maxRunMs: WARMUP_MS + KILL_AFTER_MS + 2 * TAIL_MS,
      mix: MIX,
      seed,
    });
    return { proxy: kind, removalMs, variant, seed, result };
  } finally {
    clearTimeout(killTimer);
    a.child.kill('SIGKILL');
    await proxy.close();
  }
}

async function cpuMicros(port: number): Promise<number> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 1 });
  const res = await pool.request({ path: '/cpu', method: 'GET' });
  const micros = Number(await res.body.text());
  await pool.close();
  return micros;
}

/** Requests per second, and the server's CPU µs per request, over one round. */
async function throughput(port: number, ms: number): Promise<{ rps: number; cpuPerRequest: number }> {
  const cpuBefore = await cpuMicros(port);
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 16, pipelining: 1 });
  let done = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < end) {
        const res = await pool.request({ path: '/work?ms=0', method: 'GET' });
        await res.body.text();
        done++;
      }
    }),
  );
  await pool.close();
  const cpuAfter = await cpuMicros(port);
  return { rps: (done * 1000) / ms, cpuPerRequest: (cpuAfter - cpuBefore) / done };
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

type OverheadServer = 'bare' | 'control' | 'attached';

/** Every order of the three servers, so drift on a shared machine hits each position alike. */
const OVERHEAD_ORDERS: readonly OverheadServer[][] = [
  ['bare', 'control', 'attached'],
  ['attached', 'bare', 'control'],
  ['control', 'attached', 'bare'],
  ['bare', 'attached', 'control'],
  ['control', 'bare', 'attached'],
  ['attached', 'control', 'bare'],
];

async function overhead(): Promise<void> {
  // `control` is a second bare server: its ratio to `bare` is what the measurement alone yields
  // on this machine (an A/A test), the floor below which graceful's ratio says nothing.
  const servers = { bare: await startBackend('bare', 'A'), control: await startBackend('bare', 'A'), attached: await startBackend('zerodrop', 'A') };
  const rounds = 18;
  const roundMs = 1_000;
  const results: Record<OverheadServer, number[]> = { bare: [], control: [], attached: [] };
  const cpu: Record<OverheadServer, number[]> = { bare: [], control: [], attached: [] };
  for (const b of Object.values(servers)) await throughput(b.port, 500); // warm the JITs
  for (let i = 0; i < rounds; i++) {
    for (const which of OVERHEAD_ORDERS[i % OVERHEAD_ORDERS.length]!) {
      const r = await throughput(servers[which].port, roundMs);
      results[which].push(r.rps);
      cpu[which].push(r.cpuPerRequest);
    }
  }
  for (const b of Object.values(servers)) b.child.kill('SIGKILL');
  process.stdout.write('\n### Per-request overhead (closed loop, 32 concurrent, 16 keep-alive sockets, undici)\n\n');
  const cb = median(cpu.bare);
  // Load on a shared machine swings between rounds; each round measures the servers back to
  // back, so the median of per-round ratios cancels most of it.
  const ratio = (of: OverheadServer, values: Record<OverheadServer, number[]>): number => median(values[of].map((v, i) => v / values.bare[i]!));
  process.stdout.write('| server | median req/s | median server CPU µs/request | rounds (req/s) |\n|---|---|---|---|\n');
  const labels: Record<OverheadServer, string> = {
    bare: 'bare node:http',
    control: 'bare node:http, second process (A/A control)',
    attached: 'with graceful()',
  };
  for (const which of ['bare', 'control', 'attached'] as const) {
    process.stdout.write(
      `| ${labels[which]} | ${median(results[which]).toFixed(0)} | ${median(cpu[which]).toFixed(1)} | ${results[which].map((x) => x.toFixed(0)).join(', ')} |\n`,
    );
  }
  for (const which of ['control', 'attached'] as const) {
    const rpsRatio = ratio(which, results);
    const cpuRatio = ratio(which, cpu);
    process.stdout.write(
      `\nmedian of per-round ratios, ${which === 'control' ? 'control/bare (the A/A floor)' : 'graceful/bare'}: throughput ${rpsRatio.toFixed(3)} ` +
        `(${((1 - rpsRatio) * 100).toFixed(1)}% loss), server CPU per request ${cpuRatio.toFixed(3)} (${((cpuRatio - 1) * 100).toFixed(1)}% more)` +
        `${which === 'attached' ? '; goal < 1% loss' : ''}\n`,
    );
  }
  const hot = await hotPathCost();
  process.stdout.write(
    `\nhot path (bench/support/hot-path.ts): server.emit('request') takes ${hot.bareNs.toFixed(0)} ns bare and ${hot.gracefulNs.toFixed(0)} ns with graceful; ` +
      `graceful adds ${hot.addedNs.toFixed(0)} ns (median of paired rounds), ${((hot.addedNs / (cb * 1000)) * 100).toFixed(2)}% of the bare server's ` +
      `${cb.toFixed(1)} µs CPU per request measured above; goal < 1%\n`,
  );
}

function kindsText(kinds: Record<string, number>): string {
  return (
    Object.entries(kinds)
      .map(([k, n]) => `${k}×${n}`)
      .join(' ') || '–'
  );
}

function sumKinds(all: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const kinds of all) for (const [k, n] of Object.entries(kinds)) total[k] = (total[k] ?? 0) + n;
  return total;
}

function printL4(rows: Row[], propagationMs: number): void {
  process.stdout.write(
    `### Dropped requests through an endpoint switch, propagation ${propagationMs} ms (${RATE_PER_SECOND} req/s, ${POOL_SOCKETS} keep-alive sockets, ` +
      `drain delay ${DRAIN_DELAY_MS} ms, SIGKILL at +${KILL_AFTER_MS} ms, longest request ${LONGEST_MS} ms)\n\n`,
  );
  process.stdout.write(
    '| variant | client | failed per seed | failure kinds | exit | shutdown ms | exit − (delay ⊔ last A response) ms |\n|---|---|---|---|---|---|---|\n',
  );
  for (const variant of new Set(rows.map((r) => r.variant))) {
    for (const clientKind of CLIENTS) {
      const rs = rows.filter((r) => r.variant === variant && r.client === clientKind && r.propagationMs === propagationMs);
      if (rs.length === 0) continue;
      process.stdout.write(
        `| ${variant} | ${clientKind} | ${rs.map((r) => `${r.failed}/${r.requests}`).join(', ')} | ${kindsText(sumKinds(rs.map((r) => r.kinds)))} | ` +
          `${rs.map((r) => r.exit).join(', ')} | ${rs.map((r) => r.shutdownMs).join(', ')} | ${rs.map((r) => r.overshootMs).join(', ')} |\n`,
      );
    }
  }
  process.stdout.write('\n');
}

function printProxies(rows: ProxyRow[]): void {
  process.stdout.write(
    `### Behind real nginx (reload) and HAProxy (runtime API): pods A and B in the upstream, A removed ${PROPAGATION_MS} ms or ${LATE_PROPAGATION_MS} ms after its SIGTERM ` +
      `(${RATE_PER_SECOND} req/s, ${POOL_SOCKETS} keep-alive client connections, undici, drain delay ${DRAIN_DELAY_MS} ms)\n\n`,
  );
  process.stdout.write(
    "| proxy | removal | variant | client failed/sent per seed | proxy→pod hop failures | pod's own errors | proxy's own loss | client failure kinds | exit | shutdown ms |\n|---|---|---|---|---|---|---|---|---|---|\n",
  );
  const keys = new Set(rows.map((r) => `${r.proxy}|${r.removalMs}|${r.variant}`));
  for (const key of keys) {
    const rs = rows.filter((r) => `${r.proxy}|${r.removalMs}|${r.variant}` === key);
    const [first] = rs;
    if (!first) continue;
    const late = first.removalMs > DRAIN_DELAY_MS ? 'late' : 'on time';
    process.stdout.write(
      `| ${first.proxy} | ${late} (+${first.removalMs} ms) | ${first.variant} | ${rs.map((r) => `${r.result.clientFailed}/${r.result.requests}`).join(', ')} | ` +
        `${rs.map((r) => r.result.hopFailures).join(', ')} | ${rs.map((r) => r.result.appErrors).join(', ')} | ${rs.map((r) => r.result.proxyOwnLoss).join(', ')} | ${kindsText(sumKinds(rs.map((r) => r.result.clientFailures)))} | ` +
        `${rs.map((r) => r.result.exit).join(', ')} | ${rs.map((r) => r.result.shutdownMs).join(', ')} |\n`,
    );
  }
  process.stdout.write('\n');
}

export async function run(): Promise<void> {
  const began = performance.now();
  const load = loadavg().map((x) => x.toFixed(1));
  process.stdout.write(`Load average at start: ${load.join(', ')}\n\n`);
  const b = await startBackend('bare', 'B');
  const only = process.env.GRACEFUL_BENCH_VARIANTS?.split(',');
  const wanted = (v: string): boolean => !only || only.includes(v);
  const sections = process.env.GRACEFUL_BENCH_SECTIONS?.split(',') ?? ['l4', 'nginx', 'haproxy', 'overhead'];

  if (sections.includes('l4')) {
    const rows: Row[] = [];
    for (const propagationMs of [PROPAGATION_MS, LATE_PROPAGATION_MS]) {
      for (const variant of VARIANTS.filter(wanted)) {
        for (const clientKind of CLIENTS) {
          for (const seed of SEEDS) rows.push(await dropRun(variant, clientKind, seed, propagationMs, b));
        }
      }
    }
    printL4(rows, PROPAGATION_MS);
    printL4(rows, LATE_PROPAGATION_MS);
  }

  const proxies: ProxyKind[] = [];
  if (sections.includes('nginx')) {
    if (existsSync(NGINX_BINARY)) proxies.push('nginx');
    else process.stdout.write(`SKIPPED nginx: ${NGINX_BINARY} is missing\n\n`);
  }
  if (sections.includes('haproxy')) {
    if (existsSync(HAPROXY_BINARY)) proxies.push('haproxy');
    else process.stdout.write(`SKIPPED HAProxy: ${HAPROXY_BINARY} is missing\n\n`);
  }
  if (proxies.length > 0) {
    const rows: ProxyRow[] = [];
    for (const kind of proxies) {
      for (const removalMs of [PROPAGATION_MS, LATE_PROPAGATION_MS]) {
        for (const variant of PROXY_VARIANTS.filter(wanted)) {
          for (const seed of SEEDS) rows.push(await proxyRun(kind, variant, seed, removalMs, b));
        }
      }
    }
    printProxies(rows);
  }
  b.child.kill('SIGKILL');

  if (sections.includes('overhead')) await overhead();
  process.stdout.write(
    `\n(total bench time ${((performance.now() - began) / 1000).toFixed(0)} s; load average at the end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')})\n`,
  );
}
