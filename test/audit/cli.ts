/** Runs the compiled CLI (`npm run build` first, as `npm test` does) as a real child process. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(repoRoot, 'dist', 'cli', 'main.js');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');

/** The seed demo repo: `../shared/seed/demo-repo` next to the repository (CI and this machine). */
export const seedDemoDir = join(repoRoot, '..', 'shared', 'seed', 'demo-repo');
export const seedPresent = existsSync(join(seedDemoDir, 'k8s', 'kustomization.yaml'));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function zerodrop(args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} missing: run npm run build first`);
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function json(args: string[], options?: Parameters<typeof zerodrop>[1]): { code: number | null; report: any; stderr: string } {
  const r = zerodrop([...args, '--format', 'json'], options);
  let report: unknown;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}
