/**
 * How long a user waits for the CLI to start: `zerodrop --version` and `zerodrop audit` of one
 * manifest file (a Deployment and its Service from the audit benchmark's fleet, as a pre-commit
 * hook sees one), each as a fresh
 * `node dist/cli/main.js` process, against `node -e 0` (bare Node's own start) measured in the
 * same rounds. The three commands alternate within each round, so load on a shared machine
 * slows all of them alike, and medians over the rounds are compared.
 * Goals: --version ≤ 1.5× bare Node, a one-file audit ≤ 2.5× bare Node.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fleetStream } from './support/fleet.js';

const ROUNDS = 30;
const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function timeMs(args: string[], cwd: string): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t;
  // The audit exits 0 or 1 (findings); anything else is a broken run.
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zerodrop-startup-'));
  try {
    writeFileSync(join(dir, 'checkout.yaml'), fleetStream(1));
    const cases = {
      'node -e 0 (baseline)': ['-e', '0'],
      'zerodrop --version': [cli, '--version'],
      'zerodrop audit checkout.yaml': [cli, 'audit', 'checkout.yaml'],
    };
    const times = Object.fromEntries(Object.keys(cases).map((k) => [k, [] as number[]]));
    // Round 0 warms the file system cache and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [name, args] of Object.entries(cases)) {
        const ms = timeMs(args, dir);
        if (round > 0) times[name]!.push(ms);
      }
    }
    const base = median(times['node -e 0 (baseline)']!);
    const goals: Record<string, number> = { 'zerodrop --version': 1.5, 'zerodrop audit checkout.yaml': 2.5 };
    process.stdout.write(`| command | median of ${ROUNDS} (ms) | ratio to node -e 0 | goal |\n|---|---|---|---|\n`);
    for (const [name, xs] of Object.entries(times)) {
      const m = median(xs);
      const goal = goals[name];
      process.stdout.write(`| ${name} | ${m.toFixed(0)} | ${(m / base).toFixed(2)} | ${goal ? `≤ ${goal.toFixed(1)}` : ''} |\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
