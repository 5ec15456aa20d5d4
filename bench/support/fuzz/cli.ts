/**
 * Driving the built CLI with fuzz inputs: many mutated files per process (one audit of a
 * directory), and, when a batch misbehaves, each file alone to name the case that did it.
 */
import { spawnSync } from 'node:child_process';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(cliPath: string, args: readonly string[], options: { cwd?: string; input?: string; timeoutMs?: number } = {}): CliRun {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ZERODROP_DEBUG: '' },
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** What makes a run a crash rather than an answer: exit 70, a stack trace, a rule that threw, a signal, a hang. */
export function crashOf(run: CliRun, allowedCodes: readonly number[]): string | undefined {
  if (run.signal) return `killed by ${run.signal} (a hang past the timeout, or a crash)`;
  if (run.code === 70) return `exit 70: ${run.stderr.split('\n').slice(0, 3).join(' | ')}`;
  if (run.code === null || !allowedCodes.includes(run.code)) return `exit ${run.code}: ${run.stderr.slice(0, 300)}`;
  const all = `${run.stdout}\n${run.stderr}`;
  if (/^\s+at .+:\d+:\d+\)?$/m.test(all)) return `a stack trace: ${all.match(/^.*\n\s+at .*$/m)?.[0]}`;
  if (/FATAL ERROR|Native stack trace|internal error/.test(all))
    return `a fatal error: ${all.match(/.*(FATAL ERROR|Native stack trace|internal error).*/)?.[0]}`;
  if (/a bug in zerodrop/.test(all)) return `a rule failed: ${all.match(/.*a bug in zerodrop.*/)?.[0]}`;
  return undefined;
}
