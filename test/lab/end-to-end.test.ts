import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findScenario, runName } from '../../src/lab/scenarios/catalog.js';
import { liveProcessesWith } from './support/processes.js';

// End-to-end lab runs. They live in one file so they run one after another: two labs at once on
// a 2-core machine starve each other and turn answers into timeouts.
//
// The project's main job: `zerodrop lab` replays the talk; baseline and probes drop
// requests, probes-prestop drops none. `--quick` keeps the same manifests and shortens only the
// control windows. Every pod is gone afterwards.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
const DEMO = path.join(ROOT, 'examples', 'demo-app', 'server.mjs');

interface JsonRun {
  name: string;
  verdict: string;
  expected: string;
  asExpected?: boolean;
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
    const child = spawn(
      process.execPath,
      [CLI, 'lab', '--quick', '--runs', 'baseline,probes,probes-prestop', '--json', json, '--run', `zerodrop/demo-app=${process.execPath} ${DEMO} ${marker}`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const seconds = (Date.now() - started) / 1000;
    expect(output).toMatch(/run\s+requests\s+failed\s+by class\s+rollout\s+expected\s+verdict/);
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
    // The talk declares what each run shows: drops, drops, zero. Every run showing it is exit 0;
    // a run that proved nothing is exit 3.
    expect(runs.map((r) => [r.name, r.expected, r.asExpected])).toEqual([
      ['baseline', 'drops', true],
      ['probes', 'drops', true],
      ['probes-prestop', 'zero', prestop.verdict === 'pass' ? true : undefined],
    ]);
    expect(code, output).toBe(prestop.verdict === 'pass' ? 0 : 3);
    if (code === 0) expect(output).toContain('every run showed what it was expected to (baseline: drops, probes: drops, probes-prestop: zero)');
    expect(seconds).toBeLessThan(90);
    await new Promise((r) => setTimeout(r, 300));
    expect(liveProcessesWith(marker)).toEqual([]);
  }, 150_000);
});

// Bundled scenarios show what their descriptions say: runs expected to fail drop requests, runs
// expected to pass drop none (on a busy machine the lab may call them inconclusive, with timeouts
// only: it says so, and such a run proves nothing either way).
// The slower scenarios (nginx-stopsignal, keepalive-l4, keepalive-race) are in scenarios-slow.test.ts.
describe.each(['max-unavailable-single-replica', 'sidecar-race'])('zerodrop lab --scenario %s --quick', (name) => {
  it('each run drops requests exactly when it is expected to', () => {
    const json = path.join(mkdtempSync(path.join(tmpdir(), 'zerodrop-scenario-')), 'runs.json');
    const r = spawnSync(process.execPath, [CLI, 'lab', '--scenario', name, '--quick', '--json', json, '--no-progress'], { encoding: 'utf8', timeout: 110_000 });
    const runs = (
      JSON.parse(readFileSync(json, 'utf8')) as { runs: Array<{ name: string; verdict: string; failures: number; failuresByClass: Record<string, number> }> }
    ).runs;
    for (const expected of findScenario(name)!.runs) {
      const got = runs.find((x) => x.name === runName(expected))!;
      const output = `${r.stdout}\n${r.stderr.slice(-2000)}`;
      if (expected.expect === 'fail') {
        expect(got.verdict, output).toBe('fail');
        // Not only timeouts: the drop has a cause a busy machine cannot fake.
        expect(
          Object.keys(got.failuresByClass).some((k) => k !== 'timeout'),
          output,
        ).toBe(true);
      } else if (got.verdict === 'inconclusive' && got.failures > 0) {
        // The lab's own busy-machine verdict: every failure a timeout while the load generator
        // fell behind its rate. Anything else (a refusal, a reset, a 5xx) is a real drop.
        expect(got.failuresByClass, output).toEqual({ timeout: got.failures });
        expect(output).toContain('this machine was too busy to tell');
      } else {
        expect(got.failures, output).toBe(0);
      }
    }
  }, 120_000);
});

describe('Recreate strategy and the progress deadline (docs/reference/workload-updates.md#deployment-controller), in process', () => {
  it('creates new pods only after every old pod is gone, which is an outage; the deadline is only reported', async () => {
    const { configureRun } = await import('../../src/lab/run/configure.js');
    const { runLab } = await import('../../src/lab/run/runLab.js');
    const { writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(path.join(tmpdir(), 'zerodrop-recreate-'));
    const manifest = path.join(dir, 'recreate.yaml');
    writeFileSync(
      manifest,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: rc}
spec:
  replicas: 2
  minReadySeconds: 0
  progressDeadlineSeconds: 1
  strategy: {type: Recreate}
  template:
    spec:
      containers:
        - name: web
          image: demo
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 1}
          env: [{name: DEMO_START_DELAY_MS, value: "1500"}]
`,
    );
    const config = await configureRun(
      { name: 'recreate', manifests: [manifest], images: { demo: { command: `${process.execPath} ${DEMO}` } }, cwd: dir, command: 'test' },
      { quick: true, rate: 50, propagation: '0.2s' },
    );
    const events: Array<{ type: string; t: number; phase?: string; revision?: string; action?: string }> = [];
    const result = await runLab(config, { listeners: [(e) => events.push(e as never)] });
    const lastOldDeleted = Math.max(...events.filter((e) => e.type === 'pod' && e.phase === 'deleted' && e.revision === 'rev1').map((e) => e.t));
    const firstNewCreated = Math.min(...events.filter((e) => e.type === 'pod' && e.phase === 'created' && e.revision === 'rev2').map((e) => e.t));
    expect(firstNewCreated).toBeGreaterThanOrEqual(lastOldDeleted);
    expect(result.verdict).toBe('fail');
    expect(result.failuresByClass['http-5xx']).toBeGreaterThan(0);
    // 1.5 s to start > progressDeadlineSeconds 1: the condition is reported, the rollout still completes.
    expect(events.some((e) => e.type === 'rollout' && e.action === 'deadline-exceeded')).toBe(true);
    expect(result.rollout.completed).toBe(true);
  }, 60_000);
});
