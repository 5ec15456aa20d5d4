/**
 * `npm run bench -- graceful`: zerodrop/graceful against the peers on one harness, then the
 * per-request cost of attaching it.
 *
 * Drop test (landscape §7.1, rebuilt): keep-alive clients send at a fixed rate through the lab's
 * L4 proxy, a kube-proxy-like Service (new connections go to the current endpoint, open ones stay
 * pinned, kubernetes-semantics §1.4). SIGTERM reaches backend A; endpoint removal reaches the switch
 * PROPAGATION_MS later (§1.6); every variant keeps serving for the same DRAIN_DELAY_MS, longer
 * than the propagation, as its README recommends for Kubernetes; SIGKILL comes KILL_AFTER_MS after
 * SIGTERM (a scaled-down terminationGracePeriodSeconds, §1.2). No client retries: every error or
 * non-200 counts.
 *
 * Overhead: closed-loop load on a bare node:http server and on the same server with graceful()
 * attached, alternating rounds in one process, medians compared.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { seededRandom } from '../dist/lab/endpoints/delay.js';
import { startL4Proxy } from '../dist/lab/proxy/index.js';

const RATE_PER_SECOND = 400;
const POOL_SOCKETS = 16;
const WARMUP_MS = 600;
const PROPAGATION_MS = 500;
const DRAIN_DELAY_MS = 1_000;
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
    process.exit(130);
  });
}

async function startBackend(variant: string, name: string): Promise<Backend> {
  const child = spawn(process.execPath, [serverScript, variant, name], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DRAIN_DELAY_MS: String(DRAIN_DELAY_MS), TIMEOUT_MS: String(TIMEOUT_MS), KUBERNETES_SERVICE_HOST: '' },
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

async function dropRun(variant: string, clientKind: ClientKind, seed: number, b: Backend): Promise<Row> {
  const a = await startBackend(variant, 'A');
  // The lab's kube-proxy-like Service: new connections go to the current endpoints, open ones
  // stay pinned (kubernetes-semantics §1.4).
  const proxy = await startL4Proxy({ endpoints: [{ name: 'A', host: '127.0.0.1', port: a.port }] });
  const client = makeClient(clientKind, proxy.port);
  // Deterministic per seed, so every variant sees the same request sequence.
  const random = seededRandom(seed);
  const inFlight: Promise<Outcome>[] = [];
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined;
  void a.exited.then((e) => (exitInfo = e));
  const start = performance.now();
  const interval = 1000 / RATE_PER_SECOND;
  let signalAt = 0;
  let killTimer: NodeJS.Timeout | undefined;
  const maxRequests = RATE_PER_SECOND * ((WARMUP_MS + KILL_AFTER_MS + TAIL_MS) / 1000 + 1);
  for (let i = 0; i < maxRequests; i++) {
    const now = performance.now();
    const due = start + i * interval;
    if (due > now) await sleep(due - now);
    const t = performance.now() - start;
    if (!signalAt && t >= WARMUP_MS) {
      signalAt = performance.now();
      a.child.kill('SIGTERM');
      setTimeout(() => void proxy.setEndpoints([{ name: 'B', host: '127.0.0.1', port: b.port }]), PROPAGATION_MS);
      killTimer = setTimeout(() => a.child.kill('SIGKILL'), KILL_AFTER_MS);
    }
    if (exitInfo && performance.now() - exitInfo.at > TAIL_MS) break;
    let r = random();
    const ms = MIX.find(([p]) => (r -= p) < 0)?.[1] ?? 2;
    inFlight.push(client.send(`/work?ms=${ms}`));
  }
  const exit = await a.exited;
  clearTimeout(killTimer);
  const outcomes = await Promise.all(inFlight);
  await client.close();
  await proxy.close();
  const kinds: Record<string, number> = {};
  for (const o of outcomes) if (!o.ok) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
  const lastFromA = Math.max(0, ...outcomes.filter((o) => o.backend === 'A').map((o) => o.endedAt));
  return {
    variant,
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

async function overhead(): Promise<void> {
  const bare = await startBackend('bare', 'A');
  const attached = await startBackend('zerodrop', 'A');
  const rounds = 9;
  const roundMs = 1_000;
  const results = { bare: [] as number[], attached: [] as number[] };
  const cpu = { bare: [] as number[], attached: [] as number[] };
  await throughput(bare.port, 500); // warm both JITs
  await throughput(attached.port, 500);
  for (let i = 0; i < rounds; i++) {
    // Alternate the order so drift on a shared machine hits both sides alike.
    const order = i % 2 === 0 ? (['bare', 'attached'] as const) : (['attached', 'bare'] as const);
    for (const which of order) {
      const r = await throughput(which === 'bare' ? bare.port : attached.port, roundMs);
      results[which].push(r.rps);
      cpu[which].push(r.cpuPerRequest);
    }
  }
  for (const b of [bare, attached]) b.child.kill('SIGKILL');
  const mb = median(results.bare);
  const ma = median(results.attached);
  process.stdout.write('\n### Per-request overhead (closed loop, 32 concurrent, 16 keep-alive sockets, undici)\n\n');
  const cb = median(cpu.bare);
  const ca = median(cpu.attached);
  // Load on a shared machine swings between rounds; each round pairs a bare and an attached
  // measurement taken back to back, so the median of per-round ratios cancels most of it.
  const rpsRatio = median(results.attached.map((a, i) => a / results.bare[i]!));
  const cpuRatio = median(cpu.attached.map((a, i) => a / cpu.bare[i]!));
  process.stdout.write('| server | median req/s | median server CPU µs/request | rounds (req/s) |\n|---|---|---|---|\n');
  process.stdout.write(`| bare node:http | ${mb.toFixed(0)} | ${cb.toFixed(1)} | ${results.bare.map((x) => x.toFixed(0)).join(', ')} |\n`);
  process.stdout.write(`| with graceful() | ${ma.toFixed(0)} | ${ca.toFixed(1)} | ${results.attached.map((x) => x.toFixed(0)).join(', ')} |\n`);
  process.stdout.write(
    `\nmedian of per-round ratios, graceful/bare: throughput ${rpsRatio.toFixed(3)} (${((1 - rpsRatio) * 100).toFixed(1)}% loss), ` +
      `server CPU per request ${cpuRatio.toFixed(3)} (${((cpuRatio - 1) * 100).toFixed(1)}% more); goal < 3% loss\n`,
  );
}

export async function run(): Promise<void> {
  const began = performance.now();
  const b = await startBackend('bare', 'B');
  const only = process.env.GRACEFUL_BENCH_VARIANTS?.split(',');
  const rows: Row[] = [];
  for (const variant of VARIANTS.filter((v) => !only || only.includes(v))) {
    for (const clientKind of CLIENTS) {
      for (const seed of SEEDS) rows.push(await dropRun(variant, clientKind, seed, b));
    }
  }
  b.child.kill('SIGKILL');

  process.stdout.write(
    `### Dropped requests through an endpoint switch (${RATE_PER_SECOND} req/s, ${POOL_SOCKETS} keep-alive sockets, ` +
      `propagation ${PROPAGATION_MS} ms, drain delay ${DRAIN_DELAY_MS} ms, SIGKILL at +${KILL_AFTER_MS} ms, longest request ${LONGEST_MS} ms)\n\n`,
  );
  process.stdout.write(
    '| variant | client | failed per seed | failure kinds | exit | shutdown ms | exit − (delay ⊔ last A response) ms |\n|---|---|---|---|---|---|---|\n',
  );
  for (const variant of new Set(rows.map((r) => r.variant))) {
    for (const clientKind of CLIENTS) {
      const rs = rows.filter((r) => r.variant === variant && r.client === clientKind);
      if (rs.length === 0) continue;
      const kinds: Record<string, number> = {};
      for (const r of rs) for (const [k, n] of Object.entries(r.kinds)) kinds[k] = (kinds[k] ?? 0) + n;
      process.stdout.write(
        `| ${variant} | ${clientKind} | ${rs.map((r) => `${r.failed}/${r.requests}`).join(', ')} | ${
          Object.entries(kinds)
            .map(([k, n]) => `${k}×${n}`)
            .join(' ') || '–'
        } | ` + `${rs.map((r) => r.exit).join(', ')} | ${rs.map((r) => r.shutdownMs).join(', ')} | ${rs.map((r) => r.overshootMs).join(', ')} |\n`,
      );
    }
  }
  await overhead();
  process.stdout.write(`\n(total bench time ${((performance.now() - began) / 1000).toFixed(0)} s)\n`);
}
