/**
 * Real HAProxy in front of the pods, as an HAProxy-based ingress runs it: connection reuse to the
 * backends (`http-reuse`), and endpoint changes through the runtime API on the stats socket
 * (`set server <backend>/<server> state maint|ready`) instead of a reload. The settings are strict
 * on purpose, so that nothing hides a drop: no retries, no redispatch, no health checks (so no
 * passive ones either). Everything lives under a private temp prefix; the process runs in the
 * foreground in its own process group and is killed by that group's id on close and at exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const HAPROXY_BINARY = process.env.ZERODROP_HAPROXY ?? '/usr/sbin/haproxy';

export function haproxyAvailable(binary = HAPROXY_BINARY): boolean {
  return existsSync(binary);
}

export interface HaproxyServer {
  name: string;
  port: number;
  /** Starts in maintenance (not chosen) until `setState(name, 'ready')`. */
  disabled?: boolean;
}

export interface Haproxy {
  port: number;
  /** The haproxy process's pid, also its process group id. */
  pid: number;
  /** `ready` puts a server in rotation, `maint` takes it out (in-flight requests finish). */
  setState(server: string, state: 'ready' | 'maint'): Promise<void>;
  /** Per-server counters from `show stat`: connection errors and response errors towards the pods. */
  upstreamErrors(): Promise<{ connect: number; response: number; serverAborts: number }>;
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) killGroup(child);
});

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Kills every HAProxy this process started; for the callers' SIGINT/SIGTERM handlers. */
export function killAllHaproxy(): void {
  for (const child of live) killGroup(child);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function render(prefix: string, port: number, servers: readonly HaproxyServer[], reuse: string): string {
  return [
    'global',
    '  nbthread 1',
    '  maxconn 4096',
    `  stats socket ${prefix}/admin.sock mode 600 level admin`,
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout http-keep-alive 30s',
    '  retries 0',
    '  option http-keep-alive',
    'frontend web',
    `  bind 127.0.0.1:${port}`,
    '  default_backend pods',
    'backend pods',
    '  balance roundrobin',
    `  http-reuse ${reuse}`,
    // The serving pod, named as the lab's proxies name it.
    '  http-response set-header x-zerodrop-pod %s',
    ...servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port}${s.disabled ? ' disabled' : ''}`),
    '',
  ].join('\n');
}

/** One runtime-API command on the stats socket; resolves with HAProxy's answer. */
function command(socketPath: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (answer += d));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.end(`${line}\n`);
  });
}

export async function startHaproxy(options: {
  servers: readonly HaproxyServer[];
  reuse?: 'safe' | 'aggressive' | 'always';
  binary?: string;
}): Promise<Haproxy> {
  const binary = options.binary ?? HAPROXY_BINARY;
  const prefix = mkdtempSync(join(tmpdir(), 'zerodrop-haproxy-'));
  const port = await freePort();
  const config = join(prefix, 'haproxy.cfg');
  const socketPath = join(prefix, 'admin.sock');
  writeFileSync(config, render(prefix, port, options.servers, options.reuse ?? 'always'));
  // -db: stay in the foreground, so the process we spawn is HAProxy itself.
  const child = spawn(binary, ['-db', '-f', config], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));

  const close = async (): Promise<void> => {
    killGroup(child);
    await exited;
    rmSync(prefix, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    const up =
      existsSync(socketPath) &&
      (await command(socketPath, 'show info').then(
        (a) => a.includes('Name: HAProxy'),
        () => false,
      ));
    if (up) break;
    if (i > 200 || child.exitCode !== null) {
      await close();
      throw new Error(`haproxy did not start: ${stderr.trim().split('\n').pop() ?? 'timed out'}`);
    }
    await sleep(25);
  }

  return {
    port,
    pid: child.pid!,
    setState: async (server, state) => {
      const answer = await command(socketPath, `set server pods/${server} state ${state}`);
      if (answer.trim() !== '') throw new Error(`haproxy refused "set server pods/${server} state ${state}": ${answer.trim()}`);
    },
    upstreamErrors: async () => {
      const csv = (await command(socketPath, 'show stat')).trim().split('\n');
      const header = csv[0]!.replace(/^# /, '').split(',');
      const col = (name: string): number => header.indexOf(name);
      const totals = { connect: 0, response: 0, serverAborts: 0 };
      for (const row of csv.slice(1).map((l) => l.split(','))) {
        if (row[col('pxname')] !== 'pods' || row[col('svname')] === 'BACKEND') continue;
        totals.connect += Number(row[col('econ')] || 0);
        totals.response += Number(row[col('eresp')] || 0);
        totals.serverAborts += Number(row[col('srv_abrt')] || 0);
      }
      return totals;
    },
    close,
  };
}
