import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { ZerodropError } from '../../src/errors.js';
import { FakeKubeApi, kubeconfigYaml, type FakeOptions, type KubeconfigSpec } from './fakeKubeApi.js';

const MAIN = resolve(import.meta.dirname, '..', '..', 'dist', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI asynchronously (the fake API server lives in this process, so never block it). */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Like runCli, but hands out the child so a test can signal it. */
export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  let child!: ChildProcess;
  const done = new Promise<CliResult>((resolvePromise, reject) => {
    child = spawn(process.execPath, [MAIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', KUBECONFIG: '/nonexistent/kubeconfig', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      reject(new Error(`CLI did not finish in time: ${args.join(' ')}\n${stderr}`));
    }, options.timeoutMs ?? 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
  return { child, done };
}

const tempDirs: string[] = [];
// Registered on the importing test file's root suite: its temp dirs go when the file is done.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zerodrop-rollout-'));
  tempDirs.push(dir);
  return dir;
}

export function writeKubeconfig(dir: string, server: string, options: KubeconfigSpec = {}, name = 'kubeconfig'): string {
  const file = join(dir, name);
  writeFileSync(file, kubeconfigYaml(server, options));
  return file;
}

/** The error a promise rejects with; fails the test when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<ZerodropError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!err) throw new Error('expected a failure');
  return err as ZerodropError;
}

/** Polls until `cond` holds; throws after `ms` so a test never hangs. */
export async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface FakeCluster {
  fake: FakeKubeApi;
  dir: string;
  kubeconfig: string;
}

/**
 * Registers cleanup for this test file and returns a starter: each call brings up a fresh fake
 * API server (closing the previous one) with a kubeconfig pointing at it.
 */
export interface FakeClusterStarter {
  /** The kubeconfig trusts the fake's CA when it serves HTTPS; `spec` adds to it or replaces parts. */
  (options?: FakeOptions, spec?: KubeconfigSpec): Promise<FakeCluster>;
  /** The fake started last in this test. */
  current(): FakeKubeApi;
  /** Starts a fake and returns only its kubeconfig path. */
  kubeconfig(options?: FakeOptions): Promise<string>;
}

export function fakeClusters(defaults: FakeOptions = {}): FakeClusterStarter {
  let current: FakeKubeApi | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const start = async (options: FakeOptions = {}, spec: KubeconfigSpec = {}): Promise<FakeCluster> => {
    await current?.close();
    const fake = new FakeKubeApi({ ...defaults, ...options });
    current = fake;
    await fake.start();
    const dir = tempDir();
    const cluster = fake.pki ? { 'certificate-authority': fake.pki.caFile, ...spec.cluster } : spec.cluster;
    return { fake, dir, kubeconfig: writeKubeconfig(dir, fake.url, { ...spec, ...(cluster ? { cluster } : {}) }) };
  };
  return Object.assign(start, {
    current: () => {
      if (!current) throw new Error('no fake API server started in this test');
      return current;
    },
    kubeconfig: async (options?: FakeOptions) => (await start(options)).kubeconfig,
  });
}
