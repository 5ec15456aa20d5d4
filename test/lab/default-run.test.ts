import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveProcessesWith } from './support/processes.js';

// The project's main job (issue 4): `zerodrop lab` replays the talk; baseline and probes drop
// requests, probes-prestop drops none. `--quick` keeps the same manifests and shortens only the
// control windows. Every pod is gone afterwards.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const DEMO = path.join(ROOT, 'examples', 'demo-app', 'server.mjs');


interface JsonRun {
  name: string;
  verdict: string;
  requests?: number;
  failures?: number;
  failuresByClass?: Record<string, number>;
  rollout?: { completed: boolean; durationMs: number };
}

describe('zerodrop lab --quick: the talk replayed', () => {
  it('baseline and probes drop requests, probes-prestop drops none, and no pod survives', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zerodrop-default-run-'));
    const json = path.join(dir, 'runs.json');
    const marker = `zerodrop-default-run-${process.pid}`;
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, 'lab', '--quick', '--runs', 'baseline,probes,probes-prestop', '--json', json, '--run', `zerodrop/demo-app=${process.execPath} ${DEMO} ${marker}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const seconds = (Date.now() - started) / 1000;
    // Exit 1: a run dropped requests (baseline and probes do, by design).
    expect(code, output).toBe(1);
    expect(output).toMatch(/run\s+requests\s+failed\s+by class\s+rollout/);
    const runs = (JSON.parse(readFileSync(json, 'utf8')) as { runs: JsonRun[] }).runs;
    const byName = new Map(runs.map((r) => [r.name, r]));
    expect(byName.get('baseline')?.verdict, output).toBe('fail');
    expect(byName.get('probes')?.verdict, output).toBe('fail');
    const prestop = byName.get('probes-prestop')!;
    expect(prestop.failures, output).toBe(0);
    expect(prestop.requests).toBeGreaterThan(1000);
    expect(prestop.rollout?.completed).toBe(true);
    // The generator may call a run inconclusive on a busy machine, never a failure.
    expect(['pass', 'inconclusive']).toContain(prestop.verdict);
    expect(seconds).toBeLessThan(90);
    await new Promise((r) => setTimeout(r, 300));
    expect(liveProcessesWith(marker)).toEqual([]);
  }, 150_000);
});
