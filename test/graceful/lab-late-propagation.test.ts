/**
 * The lab's late-propagation scenario through the real CLI: the ingress-like proxy learns of each
 * pod's removal 2 s after its SIGTERM, later than the app's 1 s drain delay. With the fixed delay
 * the app stops listening while the proxy still sends it requests; with the adaptive drain it
 * keeps serving until they stop. Needs `npm run build` first (the CLI and the demo app run dist/).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

interface JsonRun {
  name: string;
  verdict: string;
  requests: number;
  failures: number;
  failuresByClass: Record<string, number>;
  rollout: { completed: boolean };
}

describe('zerodrop lab --scenario late-propagation', () => {
  it('the fixed in-app delay drops requests the late proxy still sends; the adaptive drain drops none', () => {
    const json = path.join(mkdtempSync(path.join(tmpdir(), 'zerodrop-late-propagation-')), 'runs.json');
    const r = spawnSync(process.execPath, [CLI, 'lab', '--scenario', 'late-propagation', '--quick', '--no-progress', '--json', json], {
      encoding: 'utf8',
      timeout: 110_000,
    });
    const output = `exit ${r.status}\n${r.stdout}\n${(r.stderr ?? '').slice(-2000)}`;
    const runs = new Map((JSON.parse(readFileSync(json, 'utf8')) as { runs: JsonRun[] }).runs.map((x) => [x.name, x]));
    const fixed = runs.get('fixed-delay')!;
    const adaptive = runs.get('adaptive')!;
    expect(fixed.verdict, output).toBe('fail');
    // Refused connections to the pod that stopped listening, not timeouts a busy machine can fake.
    expect(
      Object.entries(fixed.failuresByClass).some(([k, n]) => k !== 'timeout' && n > 0),
      output,
    ).toBe(true);
    expect(adaptive.failures, output).toBe(0);
    expect(adaptive.requests, output).toBeGreaterThan(200);
    expect(adaptive.rollout.completed, output).toBe(true);
  }, 120_000);
});
