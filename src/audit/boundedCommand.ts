/**
 * Running a helper program (`kubectl kustomize`) with bounds on time and output, and without
 * leaving it behind: it is killed when the deadline passes, when its output outgrows the limit,
 * when zerodrop exits by any path that runs `exit` handlers, and, on Linux through
 * `setpriv --pdeathsig`, when zerodrop itself is killed with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export type BoundedResult =
  | { kind: 'exited'; status: number; stdout: Buffer; stderr: string }
  | { kind: 'missing' }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'too-large'; limitBytes: number }
  | { kind: 'failed'; message: string };

export interface BoundedOptions {
  timeoutMs: number;
  maxStdoutBytes: number;
  /** Kept to this many bytes: enough for an error message. */
  maxStderrBytes?: number;
  env?: NodeJS.ProcessEnv;
}

/** The executable `command` names: itself when it holds a slash, else the first match on PATH. */
export function resolveExecutable(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = command.includes('/') ? [command] : (env.PATH ?? '').split(delimiter).map((d) => join(d || '.', command));
  for (const c of candidates) {
    try {
      if (!statSync(c).isFile()) continue;
      accessSync(c, constants.X_OK);
      return isAbsolute(c) ? c : join(process.cwd(), c);
    } catch {}
  }
  return undefined;
}

const SETPRIV = '/usr/bin/setpriv';
const pdeathsigAvailable = process.platform === 'linux' && resolveExecutable(SETPRIV) !== undefined;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills the child's whole process group (it may have started helpers of its own). */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) killTree(child);
  });
}

export function runBounded(command: string, args: readonly string[], options: BoundedOptions): Promise<BoundedResult> {
  const env = options.env ?? process.env;
  const executable = resolveExecutable(command, env);
  if (!executable) return Promise.resolve({ kind: 'missing' });
  installExitHook();
  const [file, argv] = pdeathsigAvailable ? [SETPRIV, ['--pdeathsig', 'KILL', '--', executable, ...args]] : [executable, [...args]];
  const maxStderr = options.maxStderrBytes ?? 64 * 1024;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      // Its own process group, so a kill reaches whatever it starts.
      child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
    } catch (err) {
      resolve({ kind: 'failed', message: (err as Error).message });
      return;
    }
    live.add(child);
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let settled: BoundedResult | undefined;
    const finish = (r: BoundedResult) => {
      if (settled) return;
      settled = r;
      clearTimeout(timer);
      if (r.kind === 'exited') return resolve(r);
      // Do not wait for 'close': a helper that escaped the process group may hold the pipes open.
      killTree(child);
      child.stdout!.destroy();
      child.stderr!.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout', afterMs: options.timeoutMs }), options.timeoutMs);
    child.stdout!.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > options.maxStdoutBytes) finish({ kind: 'too-large', limitBytes: options.maxStdoutBytes });
      else if (!settled) out.push(b);
    });
    child.stderr!.on('data', (b: Buffer) => {
      if (err.length < maxStderr) err += b.toString('utf8').slice(0, maxStderr - err.length);
    });
    child.on('error', (e) => finish({ kind: 'failed', message: e.message }));
    child.on('close', (status, signal) => {
      live.delete(child);
      finish({ kind: 'exited', status: status ?? (signal ? 128 : 1), stdout: Buffer.concat(out), stderr: err });
    });
  });
}
