import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `zerodrop rules | head -3`: the reader goes away while we still write. Every command must end
// quietly then (no EPIPE stack trace on stderr), through a real pipe whose read end is closed
// before the command writes its first byte, so the very first write fails.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const FIXTURE = path.join(ROOT, 'examples', 'scenarios', 'unicorn-stopsignal', 'sigterm');

function withClosedStdout(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Close our read end at once: Node needs far longer to start than this takes.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a stdout pipe closed early ends the command quietly', () => {
  it.each([
    [['rules'], 0],
    [['rules', '--format', 'json'], 0],
    [['--help'], 0],
    [['explain', 'stop-signal-mismatch'], 0],
    [['lab', '--list'], 0],
  ])('zerodrop %j', async (args, code) => {
    const r = await withClosedStdout(args);
    expect(r.stderr).toBe('');
    expect({ code: r.code, signal: r.signal }).toEqual({ code, signal: null });
  });

  it('zerodrop audit: no stack trace, and the status it had when the reader left (0 before the verdict, 1 after)', async () => {
    const r = await withClosedStdout(['audit', FIXTURE]);
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect([0, 1]).toContain(r.code);
  });

  it('through a shell pipeline into head, as a user writes it', () => {
    // head exits after its lines while we may still be writing (`--help` is written in pieces):
    // three lines of rules and one of help, and nothing on stderr.
    const r = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${CLI}" rules | head -3; "${process.execPath}" "${CLI}" --help | head -1`], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(4);
  });
});
