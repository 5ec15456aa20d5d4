import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findScenario, runName } from '../../src/lab/scenarios/catalog.js';

// Bundled scenarios show what their descriptions say: runs expected to fail drop requests, runs
// expected to pass drop none (the generator may still call them inconclusive on a busy machine).
// The slower scenarios (nginx, keep-alive races) run by hand: `zerodrop lab --scenario NAME`.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

describe.each(['max-unavailable-single-replica', 'sidecar-race'])('zerodrop lab --scenario %s --quick', (name) => {
  it('each run drops requests exactly when it is expected to', () => {
    const json = path.join(mkdtempSync(path.join(tmpdir(), 'zerodrop-scenario-')), 'runs.json');
    const r = spawnSync(process.execPath, [CLI, 'lab', '--scenario', name, '--quick', '--json', json, '--no-progress'], { encoding: 'utf8', timeout: 110_000 });
    const runs = (JSON.parse(readFileSync(json, 'utf8')) as { runs: Array<{ name: string; verdict: string; failures: number; failuresByClass: Record<string, number> }> }).runs;
    for (const expected of findScenario(name)!.runs) {
      const got = runs.find((x) => x.name === runName(expected))!;
      const output = `${r.stdout}\n${r.stderr.slice(-2000)}`;
      if (expected.expect === 'fail') {
        expect(got.verdict, output).toBe('fail');
        // Not only timeouts: the drop has a cause a busy machine cannot fake.
        expect(Object.keys(got.failuresByClass).some((k) => k !== 'timeout'), output).toBe(true);
      } else {
        expect(got.failures, output).toBe(0);
      }
    }
  }, 120_000);
});
