import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = resolve('dist/cli/main.js');
const run = (args: string[], argv0 = bin) => spawnSync(process.execPath, [argv0, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('zerodrop CLI entry', () => {
  it('teaches the main commands and exit codes in --help', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/zerodrop lab/);
    expect(r.stdout).toMatch(/audit/);
    expect(r.stdout).toMatch(/Exit codes:/);
  });

  it('prints the package version', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('rejects an unknown command with exit 2 and no stack trace', () => {
    const r = run(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('works as a kubectl plugin named kubectl-zerodrop', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerodrop-plugin-'));
    const plugin = join(dir, 'kubectl-zerodrop');
    symlinkSync(bin, plugin);
    const r = run(['--help'], plugin);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: kubectl zerodrop/);
  });
});
