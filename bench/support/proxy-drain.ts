/**
 * A pod's stop signal behind a real proxy, measured on both hops. Pods A and B are both in the
 * proxy's upstream (a rolling update with surge has the new pod ready first); A gets its stop
 * signal, and the proxy takes A out `removeAfterMs` later the way its controller would: nginx
 * (as ingress-nginx configures it: upstream keep-alive pool, `max_fails=0`, no retries) by a
 * configuration reload, HAProxy (`http-reuse always`, `retries 0`, no health checks) through its
 * runtime API. Keep-alive clients send at a fixed rate throughout, without retries.
 *
 * Failures are counted twice: at the client (every error or non-200), and on the proxy→pod hop
 * from the proxy's own records (nginx's error log, HAProxy's per-server error counters). A client
 * failure those records do not explain, and that the pod did not answer itself (fastify's 503
 * while closing is the app's), is the proxy's own loss towards its clients, e.g. the idle client
 * connections an nginx reload closes under a client that is just reusing one.
 * Used by the graceful benchmark and by test/graceful/proxies.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { seededRandom } from '../../dist/lab/endpoints/delay.js';
import { startNginxIngress } from '../../dist/lab/proxy/nginx-ingress.js';
import { startHaproxy } from './haproxy.js';
import { openLoop, pickDuration } from './open-loop.js';

export type ProxyKind = 'nginx' | 'haproxy';

export interface Pod {
  name: string;
  port: number;
}

export interface FrontProxy {
  kind: ProxyKind;
  port: number;
  /** Takes pod A out of rotation: an nginx reload, or `set server pods/A state maint`. */
  removeA(): Promise<void>;
  /** Failed attempts on the proxy→pod hop, from the proxy's own log or counters. */
  hopFailures(): Promise<number>;
  close(): Promise<void>;
}

/** nginx logs each failed upstream attempt (refused, reset, closed early, timed out) as one error line. */
const NGINX_UPSTREAM_ERROR = /\[error\].*upstream/g;
/** The error pages nginx and HAProxy generate themselves: "<h1>502 Bad Gateway</h1>" and the like. */
const PROXY_ERROR_PAGE = /<h1>\s*5\d\d /;

export async function startFrontProxy(kind: ProxyKind, a: Pod, b: Pod): Promise<FrontProxy> {
  if (kind === 'nginx') {
    const host = '127.0.0.1';
    const nginx = await startNginxIngress({
      endpoints: [
        { host, ...a },
        { host, ...b },
      ],
      retries: 0,
      upstreamKeepAliveMs: 60_000,
    });
    return {
      kind,
      port: nginx.port,
      removeA: () => nginx.setEndpoints([{ host, ...b }]),
      hopFailures: async () => (readFileSync(join(nginx.prefix, 'error.log'), 'utf8').match(NGINX_UPSTREAM_ERROR) ?? []).length,
      close: () => nginx.close(),
    };
  }
  const haproxy = await startHaproxy({ servers: [a, b], reuse: 'always' });
  return {
    kind,
    port: haproxy.port,
    removeA: () => haproxy.setState(a.name, 'maint'),
    hopFailures: async () => {
      const e = await haproxy.upstreamErrors();
      return e.connect + e.response + e.serverAborts;
    },
    close: () => haproxy.close(),
  };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() at exit. */
  at: number;
}

export interface DrainRunOptions {
  proxy: FrontProxy;
  /** Sends pod A its stop signal. */
  signalA: () => void;
  aExited: Promise<Exit>;
  /** How long after the signal the proxy takes A out. */
  removeAfterMs: number;
  /** The app's drain delay, for `overshootMs`; 0 when it has none. */
  drainDelayMs: number;
  ratePerSecond: number;
  connections: number;
  warmupMs: number;
  /** Keep sending this long after A exited. */
  tailMs: number;
  /** Hard bound on the run, from the first request. */
  maxRunMs: number;
  /** Request durations: [probability, ms] pairs. */
  mix: readonly (readonly [number, number])[];
  seed: number;
}

export interface DrainRunResult {
  requests: number;
  fromA: number;
  fromB: number;
  /** Every failure the client saw, by kind (status code or error code). */
  clientFailures: Record<string, number>;
  clientFailed: number;
  /** Failed proxy→pod attempts, from the proxy's records. */
  hopFailures: number;
  /** Non-200 answers the pod gave itself (not a proxy error page). */
  appErrors: number;
  /** Client failures neither the hop records nor the pod explain: the proxy's own loss. */
  proxyOwnLoss: number;
  exit: string;
  exitCode: number | null;
  shutdownMs: number;
  /** A's exit minus the later of its drain delay's end and its last response: how long it lingered. */
  overshootMs: number;
}

interface Outcome {
  ok: boolean;
  kind: string;
  /** Where a failure came from: an error page of the proxy, an answer of the pod, or no answer. */
  source?: 'proxy' | 'pod' | 'socket';
  pod?: string;
  endedAt: number;
}

export async function drainThroughProxy(o: DrainRunOptions): Promise<DrainRunResult> {
  const pool = new Pool(`http://127.0.0.1:${o.proxy.port}`, { connections: o.connections, pipelining: 1 });
  const random = seededRandom(o.seed);
  let signalAt = 0;
  let exit: Exit | undefined;
  void o.aExited.then((e) => (exit = e));
  let removal: Promise<void> | undefined;
  const send = async (): Promise<Outcome> => {
    try {
      const res = await pool.request({ path: `/work?ms=${pickDuration(o.mix, random)}`, method: 'GET', headersTimeout: 10_000, bodyTimeout: 10_000 });
      const body = await res.body.text();
      const pod = res.headers['x-zerodrop-pod'];
      const ok = res.statusCode === 200;
      const source = ok ? undefined : PROXY_ERROR_PAGE.test(body) ? 'proxy' : 'pod';
      return { ok, kind: String(res.statusCode), source, pod: typeof pod === 'string' ? pod : undefined, endedAt: performance.now() };
    } catch (e) {
      const error = e as Error & { code?: string };
      return { ok: false, kind: error.code ?? error.message, source: 'socket', endedAt: performance.now() };
    }
  };
  try {
    const outcomes = await openLoop({
      ratePerSecond: o.ratePerSecond,
      maxRequests: Math.ceil((o.ratePerSecond * o.maxRunMs) / 1000),
      stopAt: (elapsed) => {
        if (!signalAt && elapsed >= o.warmupMs) {
          signalAt = performance.now();
          o.signalA();
          removal = new Promise((resolve) => setTimeout(resolve, o.removeAfterMs)).then(() => o.proxy.removeA());
        }
        return elapsed > o.maxRunMs || (exit !== undefined && performance.now() - exit.at > o.tailMs);
      },
      send,
    });
    await removal;
    const final = exit ?? (await o.aExited);
    const clientFailures: Record<string, number> = {};
    for (const r of outcomes) if (!r.ok) clientFailures[r.kind] = (clientFailures[r.kind] ?? 0) + 1;
    const clientFailed = outcomes.filter((r) => !r.ok).length;
    const hopFailures = await o.proxy.hopFailures();
    const count = (source: Outcome['source']): number => outcomes.filter((r) => r.source === source).length;
    // Hop failures that produced no error page reached the client as cut connections; the
    // socket-level failures beyond those are the proxy's own.
    const hopWithoutPage = Math.max(0, hopFailures - count('proxy'));
    const lastFromA = Math.max(signalAt + o.drainDelayMs, ...outcomes.filter((r) => r.ok && r.pod === 'A').map((r) => r.endedAt));
    return {
      requests: outcomes.length,
      fromA: outcomes.filter((r) => r.ok && r.pod === 'A').length,
      fromB: outcomes.filter((r) => r.ok && r.pod === 'B').length,
      clientFailures,
      clientFailed,
      hopFailures,
      appErrors: count('pod'),
      proxyOwnLoss: Math.max(0, count('socket') - hopWithoutPage),
      exit: final.signal ?? String(final.code),
      exitCode: final.code,
      shutdownMs: Math.round(final.at - signalAt),
      overshootMs: Math.round(final.at - lastFromA),
    };
  } finally {
    await pool.close();
  }
}
