import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZerodropError } from '../../errors.js';
import { resolveProxyOptions } from './defaults.js';
import { EndpointView, validateEndpoints, type Endpoint } from './endpoints.js';
import { listen } from './listen.js';
import { renderNginxConfig } from './nginx-config.js';
import type { ProxyOptions, TrafficProxy } from './types.js';

export const NGINX_BINARY = process.env.ZERODROP_NGINX ?? '/usr/sbin/nginx';

export function nginxAvailable(binary = NGINX_BINARY): boolean {
  return existsSync(binary);
}

export interface NginxIngress extends TrafficProxy {
  /** The nginx master's pid (also its process group id). */
  readonly pid: number;
  /** The private directory holding config, pid, logs and temp files (removed by `close()`). */
  readonly prefix: string;
}

export type NginxIngressOptions = Omit<ProxyOptions, 'mode'>;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Last resort: whatever path the lab exits by, no nginx stays behind (COMMON.md "No orphans"). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) killGroup(child, 'SIGKILL');
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Covers the exits no handler sees (SIGKILL of the lab, a crash in native code): a tiny shell
 * blocked reading a pipe from us. When our process dies, the pipe closes, `read` returns and the
 * shell SIGKILLs nginx's process group. It is unref'd so it never keeps the lab alive.
 */
function startWatchdog(pgid: number): ChildProcess | undefined {
  try {
    const dog = spawn('/bin/sh', ['-c', `read _ignored; kill -KILL -${pgid} 2>/dev/null; exit 0`], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    dog.on('error', () => {});
    dog.stdin?.on('error', () => {});
    dog.unref();
    (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return dog;
  } catch {
    return undefined;
  }
}

async function freePort(host: string): Promise<number> {
  const s = createServer();
  const port = await listen(s, host);
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Real nginx as the lab's ingress: a private config under a temp prefix, nginx in the foreground
 * (`daemon off`) in its own process group, SIGHUP on every endpoint change. Resolves when nginx
 * accepts connections. `close()` (and the process exit hook) kill the whole group and remove the
 * temp directory.
 */
export async function startNginxIngress(options: NginxIngressOptions = {}): Promise<NginxIngress> {
  const binary = options.binary ?? NGINX_BINARY;
  if (!nginxAvailable(binary)) {
    throw new ZerodropError('nginx-missing', `nginx not found at ${binary}; install the Debian package nginx or use the built-in proxy`);
  }
  const o = resolveProxyOptions('nginx', options);
  const host = o.host;
  const port = o.port > 0 ? o.port : await freePort(host);
  const timeoutMs = o.readyTimeoutMs;
  const view = new EndpointView(o.consumer, o.events);
  const prefix = mkdtempSync(join(tmpdir(), 'zerodrop-nginx-'));
  // Workers drop to `nobody` when the master runs as root; they must be able to enter the prefix.
  chmodSync(prefix, 0o755);
  const confPath = join(prefix, 'nginx.conf');
  const errorLog = join(prefix, 'error.log');
  const initial = [...o.endpoints];
  validateEndpoints(initial);
  const write = (endpoints: readonly Endpoint[]): void =>
    writeFileSync(
      confPath,
      renderNginxConfig({
        prefix,
        host,
        port,
        endpoints,
        retries: o.retries,
        keepAliveMs: o.upstreamKeepAliveMs,
        podHeader: o.podHeader,
      }),
    );
  write(initial);
  writeFileSync(errorLog, '');

  installExitHook();
  const child = spawn(binary, ['-p', prefix, '-e', errorLog, '-c', confPath], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  const watchdog = child.pid === undefined ? undefined : startWatchdog(child.pid);

  const cleanup = async (): Promise<void> => {
    killGroup(child, 'SIGTERM');
    const gone = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
    if (!gone) {
      killGroup(child, 'SIGKILL');
      await exited;
    }
    // Workers are in the same group; SIGKILL the group once more in case the master left any.
    killGroup(child, 'SIGKILL');
    live.delete(child);
    // Closing its stdin lets the watchdog fire at a group that is already gone, and exit.
    watchdog?.stdin?.end();
    rmSync(prefix, { recursive: true, force: true });
  };

  const count = (pattern: RegExp): number => (safeRead(errorLog).match(pattern) ?? []).length;
  const workerStarts = (): number => count(/start worker process \d+/g);
  const workersRetired = (): number => count(/gracefully shutting down/g);

  // Ready = a worker runs AND the port answers (a port answering alone could be someone else's).
  const deadline = Date.now() + timeoutMs;
  while (workerStarts() < 1 || !(await canConnect(host, port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      const log = safeRead(errorLog);
      await cleanup();
      throw new ZerodropError('nginx-start-failed', `nginx did not start: ${lastLine(stderr || log) || 'timed out'}`);
    }
    await sleep(25);
  }
  view.replace(initial);

  let reloading: Promise<void> = Promise.resolve();

  const reload = async (next: Endpoint[]): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new ZerodropError('nginx-gone', 'nginx exited; cannot change its endpoints');
    }
    const started = workerStarts();
    const retired = workersRetired();
    write(next);
    try {
      process.kill(child.pid!, 'SIGHUP');
    } catch {
      throw new ZerodropError('nginx-gone', 'nginx exited; cannot change its endpoints');
    }
    // The reload has taken effect when the new worker runs and the old one stopped accepting
    // (it logs "gracefully shutting down" right before closing its listening sockets).
    const until = Date.now() + timeoutMs;
    while (workerStarts() <= started || workersRetired() <= retired) {
      if (Date.now() > until) throw new ZerodropError('nginx-reload-failed', `nginx did not reload: ${lastLine(safeRead(errorLog))}`);
      await sleep(10);
    }
    await sleep(20);
    view.replace(next);
  };

  return {
    mode: 'nginx',
    consumer: o.consumer,
    pid: child.pid!,
    prefix,
    host,
    port,
    url: `http://${host}:${port}/`,
    setEndpoints: (next) => {
      validateEndpoints(next);
      const copy = [...next];
      // Reloads are serialised: each waits for the previous one's new worker.
      reloading = reloading.catch(() => {}).then(() => reload(copy));
      return reloading;
    },
    endpoints: () => [...view.current],
    close: cleanup,
  };
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? '';
}
