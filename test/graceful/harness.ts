/**
 * Real child-process servers, a second backend, and keep-alive clients whose new connections go
 * to the "current endpoint" while open ones stay pinned, as kube-proxy's conntrack pins them
 * (docs/reference/traffic-routing.md#kube-proxy). Every load loop is bounded in time and count; every child is
 * spawned in its own process group and reaped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent as UndiciAgent, buildConnector, request as undiciRequest } from 'undici';

export const fixture = fileURLToPath(new URL('./fixtures/server.mjs', import.meta.url));
export const tlsFiles = {
  key: readFileSync(new URL('./fixtures/tls/key.pem', import.meta.url)),
  cert: readFileSync(new URL('./fixtures/tls/cert.pem', import.meta.url)),
};

export interface PhaseLine {
  event: 'phase';
  phase: string;
  sinceSignalMs?: number;
  forced?: boolean;
  exitCode?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() at exit. */
  at: number;
}

export interface ChildServer {
  port: number;
  pid: number;
  child: ChildProcess;
  phases: PhaseLine[];
  lines: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<Exit>;
  /** Sends the signal; returns performance.now() at sending. */
  signal: (name?: NodeJS.Signals) => number;
  kill: () => void;
}

const live = new Set<ChildProcess>();
/** Kills every child still running; test files call it in afterEach, so a timed-out test leaves none. */
export function reapAll(): void {
  for (const child of live) killGroup(child);
}
process.once('exit', reapAll);

export function killGroup(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export interface StartOptions {
  framework: string;
  options?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Command prefix, e.g. ['unshare', '--pid', '--fork']. */
  wrap?: string[];
}

export async function startServer(start: StartOptions): Promise<ChildServer> {
  const wrap = start.wrap ?? [];
  const argv = [...wrap, process.execPath, fixture];
  const child = spawn(argv[0]!, argv.slice(1), {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FRAMEWORK: start.framework, GRACEFUL_OPTIONS: JSON.stringify(start.options ?? {}), ...start.env },
  });
  live.add(child);
  const phases: PhaseLine[] = [];
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal, at: performance.now() });
    }),
  );
  const listening = new Promise<{ port: number; pid: number }>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        if (line.event === 'phase') phases.push(line as unknown as PhaseLine);
        if (line.event === 'listening') resolve(line as unknown as { port: number; pid: number });
      }
    });
    void exited.then((e) => reject(new Error(`server exited before listening (${e.code ?? e.signal}): ${stderr}`)));
    setTimeout(() => reject(new Error(`server did not listen within 15 s: ${stderr}`)), 15_000).unref();
  });
  const { port, pid } = await listening;
  // Under unshare the fixture is PID 1 inside; signal the process we spawned's child from outside.
  const targetPid = wrap.length > 0 ? hostPidOfChild(child.pid!) : pid;
  return {
    port,
    pid: targetPid,
    child,
    phases,
    lines,
    stderr: () => stderr,
    exited,
    signal: (name = 'SIGTERM') => {
      const at = performance.now();
      process.kill(targetPid, name);
      return at;
    },
    kill: () => killGroup(child),
  };
}

function hostPidOfChild(parentPid: number): number {
  const children = readFileSync(`/proc/${parentPid}/task/${parentPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  if (children.length !== 1) throw new Error(`expected one child of ${parentPid}, got ${children.join(',')}`);
  return Number(children[0]);
}

/** Where new connections go; open connections stay where they were opened. */
export class Endpoints {
  constructor(public current: number) {}
}

/** The replacement pod: answers every path at once with "B". */
export async function startBackendB(secure: boolean): Promise<{ port: number; close: () => Promise<void> }> {
  const handler = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
    res.setHeader('content-type', 'text/plain');
    res.end('B');
  };
  const server = secure ? https.createServer(tlsFiles, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface Outcome {
  path: string;
  status?: number;
  body?: string;
  connectionClose?: boolean;
  error?: string;
  at: number;
}

export interface Client {
  get(path: string): Promise<Outcome>;
  close(): Promise<void>;
}

/** node:http(s) Agent whose new sockets connect to the current endpoint. */
export function nodeClient(endpoints: Endpoints, secure: boolean, maxSockets: number): Client {
  const base = secure ? https.Agent : http.Agent;
  // https.Agent takes TLS options; the tests' self-signed certificate needs rejectUnauthorized: false.
  const agent = new base({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, rejectUnauthorized: false } as https.AgentOptions);
  (agent as unknown as { createConnection: unknown }).createConnection = (options: net.NetConnectOpts & tls.ConnectionOptions) =>
    secure
      ? tls.connect({ ...options, host: '127.0.0.1', port: endpoints.current, rejectUnauthorized: false, servername: 'localhost' })
      : net.connect({ ...(options as net.TcpNetConnectOpts), host: '127.0.0.1', port: endpoints.current });
  const lib = secure ? https : http;
  return {
    get: (path) =>
      new Promise((resolve) => {
        // One pool name for the "Service": the connection factory picks the real endpoint.
        const req = lib.get({ agent, host: '127.0.0.1', port: 1, path, timeout: 8_000 }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ path, status: res.statusCode ?? 0, body, connectionClose: res.headers.connection === 'close', at: performance.now() }));
          res.on('error', (e) => resolve({ path, error: e.message, at: performance.now() }));
        });
        req.on('timeout', () => req.destroy(new Error('client timeout')));
        req.on('error', (e) => resolve({ path, error: (e as NodeJS.ErrnoException).code ?? e.message, at: performance.now() }));
      }),
    close: async () => agent.destroy(),
  };
}

/** undici Agent whose new sockets connect to the current endpoint. */
export function undiciClient(endpoints: Endpoints, secure: boolean, connections: number): Client {
  const connector = buildConnector({ rejectUnauthorized: false });
  const agent = new UndiciAgent({
    connections,
    pipelining: 1,
    connect: (opts, cb) => connector({ ...opts, hostname: '127.0.0.1', port: String(endpoints.current), servername: 'localhost' }, cb),
  });
  const origin = `${secure ? 'https' : 'http'}://127.0.0.1:1`; // the connector picks the real port
  return {
    get: async (path) => {
      try {
        const res = await undiciRequest(`${origin}${path}`, { dispatcher: agent, headersTimeout: 8_000, bodyTimeout: 8_000 });
        const body = await res.body.text();
        return { path, status: res.statusCode, body, connectionClose: res.headers.connection === 'close', at: performance.now() };
      } catch (e) {
        const err = e as Error & { code?: string };
        return { path, error: err.code ?? err.message, at: performance.now() };
      }
    },
    close: () => agent.close(),
  };
}

export interface LoadOptions {
  client: Client;
  loops: number;
  /** Think time range between a response and the next request on a loop. */
  thinkMs: [number, number];
  path: () => string;
  /** Loops stop starting requests once this returns true. */
  stop: () => boolean;
  maxRequests: number;
}

/** Closed-model keep-alive loops; no retries, so every failure counts. */
export async function runLoops(load: LoadOptions): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const started = performance.now();
  const loop = async (): Promise<void> => {
    while (!load.stop() && outcomes.length < load.maxRequests && performance.now() - started < 30_000) {
      outcomes.push(await load.client.get(load.path()));
      const [lo, hi] = load.thinkMs;
      if (hi > 0) await sleep(lo + Math.random() * (hi - lo));
    }
  };
  await Promise.all(Array.from({ length: load.loops }, loop));
  return outcomes;
}

export function failures(outcomes: Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.error !== undefined || o.status !== 200);
}
