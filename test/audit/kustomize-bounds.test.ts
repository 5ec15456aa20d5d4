/**
 * `kubectl kustomize` is bounded and never outlives zerodrop. A kubectl that hangs (a remote base
 * that never answers) or prints without end stands in for the real one, as an executable on
 * PATH; everything else is real: processes, process groups, signals.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectSources } from '../../src/audit/sources.js';
import { cliPath } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'zerodrop-kustomize-'));
const started: number[] = [];
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A directory with a kustomization and a `kubectl` that runs `script` (sh), writing its pid first. */
function kustomizeDir(name: string, script: string): { root: string; bin: string; pidFile: string } {
  const root = join(dir, name);
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(root, 'kustomization.yaml'), 'resources: []\n');
  const pidFile = join(root, 'kubectl.pid');
  writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\necho $$ > "${pidFile}"\n${script}\n`);
  chmodSync(join(bin, 'kubectl'), 0o755);
  return { root, bin, pidFile };
}

/** Running, not merely a zombie waiting for whoever inherited it to reap it. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

async function waitFor(predicate: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return predicate();
}

async function readPid(pidFile: string): Promise<number> {
  expect(await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 20_000)).toBe(true);
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  started.push(pid);
  return pid;
}

describe('kubectl kustomize is bounded', () => {
  it('in time: a kubectl that never finishes is stopped at the deadline with kustomize-timeout', async () => {
    const k = kustomizeDir('slow', 'exec sleep 60');
    const t0 = Date.now();
    const out = await collectSources([k.root], { kubectl: join(k.bin, 'kubectl'), kustomizeTimeoutMs: 1_000 });
    expect(out.errors).toEqual([
      expect.objectContaining({ code: 'kustomize-timeout', message: expect.stringMatching(/did not finish within 1 s; stopped it/) }),
    ]);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const pid = await readPid(k.pidFile);
    expect(await waitFor(() => !alive(pid), 5_000)).toBe(true);
  });

  it('in output: a kubectl that prints without end is stopped past the size limit', async () => {
    const k = kustomizeDir('endless', 'exec yes "# padding"');
    const out = await collectSources([k.root], { kubectl: join(k.bin, 'kubectl'), kustomizeTimeoutMs: 60_000 });
    expect(out.errors).toEqual([expect.objectContaining({ code: 'input-too-large', message: expect.stringMatching(/printed more than 32 MiB; stopped it/) })]);
    const pid = await readPid(k.pidFile);
    expect(await waitFor(() => !alive(pid), 5_000)).toBe(true);
  }, 60_000);
});

describe('kubectl kustomize never outlives zerodrop', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)(
    '%s to zerodrop while kubectl kustomize runs: kubectl is gone too',
    async (signal) => {
      const k = kustomizeDir(`killed-${signal}`, 'exec sleep 60');
      const child = spawn(process.execPath, [cliPath, 'audit', k.root], {
        stdio: 'ignore',
        env: { ...process.env, NO_COLOR: '1', PATH: `${k.bin}:${process.env.PATH}` },
      });
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, sig) => resolve([code, sig])));
      const pid = await readPid(k.pidFile);
      expect(alive(pid)).toBe(true);
      child.kill(signal);
      expect(await exited).toEqual(signal === 'SIGTERM' ? [130, null] : [null, 'SIGKILL']);
      expect(await waitFor(() => !alive(pid), 5_000)).toBe(true);
    },
    60_000,
  );
});
