/**
 * Real kubectl as the reference client: tests drive it against the fake to prove the fake speaks
 * the API as client-go understands it, and to record what kubectl itself sends. Where kubectl is
 * not installed those tests skip, and say so loudly once.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function find(): string | undefined {
  const r = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? 'kubectl' : undefined;
}

export const KUBECTL = find();

if (!KUBECTL) {
  const banner = '!'.repeat(78);
  process.stderr.write(
    `${banner}\n!! kubectl is not on PATH: the tests that check the fake API server against real kubectl will SKIP.\n!! Install it (Debian: apt-get install kubectl, or the kubernetes-client package) to run them.\n${banner}\n`,
  );
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlRun {
  child: ChildProcess;
  done: Promise<KubectlResult>;
  /** stdout so far. */
  stdout: () => string;
}

export interface KubectlOptions {
  /** --kubeconfig; without it kubectl reads KUBECONFIG from `env`. */
  kubeconfig?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const cacheDir = mkdtempSync(join(tmpdir(), 'zerodrop-kubectl-cache-'));
process.once('exit', () => rmSync(cacheDir, { recursive: true, force: true }));

/** Starts kubectl (asynchronously: the fake API server runs in this process) with its caches in a temp dir. */
export function startKubectl(args: string[], options: KubectlOptions): KubectlRun {
  const child = spawn(KUBECTL ?? 'kubectl', [...(options.kubeconfig ? ['--kubeconfig', options.kubeconfig] : []), '--cache-dir', cacheDir, ...args], {
    env: { PATH: process.env.PATH, HOME: cacheDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<KubectlResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, done, stdout: () => stdout };
}

export function kubectl(args: string[], options: KubectlOptions): Promise<KubectlResult> {
  return startKubectl(args, options).done;
}
