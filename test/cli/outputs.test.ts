/**
 * One output policy for every command, through the real CLI: an existing file is refused unless
 * --force, an input never, a directory or a missing directory is one line with exit 2, and all of
 * it before anything runs (no pod started, no request sent to the cluster).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeClusters, runCli, startCli, waitFor } from '../cluster/cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'zerodrop-outputs-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const zerodrop = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });

let n = 0;
function dir(): string {
  const d = join(tmp, String(n++));
  mkdirSync(d);
  return d;
}

/** A one-replica lab file and its manifest (validated in full; the test never lets it start). */
function labFixture(d: string): { lab: string; manifest: string } {
  const manifest = join(d, 'one.yaml');
  writeFileSync(
    manifest,
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: one}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: app\n          image: demo\n',
  );
  const lab = join(d, 'one.lab.yaml');
  writeFileSync(lab, `manifests: [one.yaml]\nimages:\n  demo: ${process.execPath} ${join(ROOT, 'examples', 'demo-app', 'server.mjs')}\n`);
  return { lab, manifest };
}

/** Exit 2, exactly one line on stderr with the code, nothing started (no output on stdout). */
function expectRefused(r: { status: number | null; stdout: string; stderr: string }, code: string): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^zerodrop: error\\[${code}\\]: [^\\n]+\\n$`));
  expect(r.stdout).toBe('');
}

describe('zerodrop lab outputs', () => {
  it('refuses --json over an existing file before any pod starts, and leaves it as it was', () => {
    const d = dir();
    const { lab } = labFixture(d);
    writeFileSync(join(d, 'runs.json'), 'previous results');
    const r = zerodrop(['lab', lab, '--json', join(d, 'runs.json')]);
    expectRefused(r, 'output-exists');
    expect(r.stderr).toContain('--json');
    expect(r.stderr).toContain('pass --force to replace it');
    expect(readFileSync(join(d, 'runs.json'), 'utf8')).toBe('previous results');
  });

  it('never writes over the lab file or a manifest it names, even with --force', () => {
    const d = dir();
    const { lab, manifest } = labFixture(d);
    const before = [readFileSync(lab, 'utf8'), readFileSync(manifest, 'utf8')];
    expectRefused(zerodrop(['lab', lab, '--json', lab, '--force']), 'output-conflict');
    expectRefused(zerodrop(['lab', lab, '--events', manifest, '--force']), 'output-conflict');
    expect([readFileSync(lab, 'utf8'), readFileSync(manifest, 'utf8')]).toEqual(before);
    expect(readdirSync(d).sort()).toEqual(['one.lab.yaml', 'one.yaml']);
  });

  it('a directory as --report is one line with exit 2, not a stack trace after the run', () => {
    const d = dir();
    const { lab } = labFixture(d);
    const r = zerodrop(['lab', lab, '--report', d]);
    expectRefused(r, 'output-unwritable');
    expect(r.stderr).toBe(`zerodrop: error[output-unwritable]: --report ${d} is a directory; name a file\n`);
  });

  it('an --events file in a missing directory is refused up front', () => {
    const d = dir();
    const { lab } = labFixture(d);
    expectRefused(zerodrop(['lab', lab, '--events', join(d, 'nope', 'e.ndjson')]), 'output-unwritable');
  });

  it('refuses the same file for two outputs', () => {
    const d = dir();
    const { lab } = labFixture(d);
    expectRefused(zerodrop(['lab', lab, '--json', join(d, 'x'), '--events', join(d, 'x')]), 'output-conflict');
  });
});

describe('zerodrop audit --output', () => {
  const manifest = join(ROOT, 'test', 'fixtures', 'audit', 'healthy.yaml');

  it('refuses an existing file unless --force', () => {
    const d = dir();
    const out = join(d, 'report.json');
    writeFileSync(out, 'keep');
    expectRefused(zerodrop(['audit', manifest, '--format', 'json', '--output', out]), 'output-exists');
    expect(readFileSync(out, 'utf8')).toBe('keep');
    const forced = zerodrop(['audit', manifest, '--format', 'json', '--output', out, '--force']);
    expect(forced.status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ findings: [] });
  });

  it('never writes the report over the manifest being audited, or over a manifest in an audited directory', () => {
    const d = dir();
    const app = join(d, 'app.yaml');
    writeFileSync(app, readFileSync(manifest, 'utf8'));
    expectRefused(zerodrop(['audit', app, '--output', app, '--force']), 'output-conflict');
    expectRefused(zerodrop(['audit', d, '--format', 'json', '--output', join(d, 'new.json'), '--force']), 'output-conflict');
    expect(readFileSync(app, 'utf8')).toBe(readFileSync(manifest, 'utf8'));
    expect(readdirSync(d)).toEqual(['app.yaml']);
  });
});

describe('zerodrop report -o', () => {
  it('never writes the HTML over the events file it reads, even with --force', () => {
    const d = dir();
    const events = join(d, 'runs.ndjson');
    const line = `${JSON.stringify({ t: 0, run: 'r', type: 'note', level: 'info', message: 'x' })}\n`;
    writeFileSync(events, line);
    expectRefused(zerodrop(['report', events, '-o', events, '--force']), 'output-conflict');
    expect(readFileSync(events, 'utf8')).toBe(line);
  });
});

describe('zerodrop rollout outputs', () => {
  const cluster = fakeClusters();
  // Short windows; the busy shared machine may lag, which these tests do not judge.
  const windows = ['--warmup', '1s', '--settle', '1s', '--max-lag-p99', '1s'];
  const args = (kubeconfig: string, url: string, extra: string[]) => {
    const target = ['deployment/web', '--restart', '--url', url];
    return ['rollout', ...target, '--kubeconfig', kubeconfig, ...windows, ...extra];
  };

  it('refuses --json over an existing file before any request reaches the cluster', async () => {
    const { fake, dir: d, kubeconfig } = await cluster();
    writeFileSync(join(d, 'result.json'), 'keep');
    const r = await runCli(args(kubeconfig, fake.frontUrl, ['--json', join(d, 'result.json')]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^zerodrop: error\[output-exists\]: --json \S+result\.json already exists/);
    expect(fake.requests).toHaveLength(0);
    expect(readFileSync(join(d, 'result.json'), 'utf8')).toBe('keep');
  });

  it('refuses the kubeconfig as an output even with --force, and a directory as --report', async () => {
    const { fake, dir: d, kubeconfig } = await cluster();
    const before = readFileSync(kubeconfig, 'utf8');
    const r = await runCli(args(kubeconfig, fake.frontUrl, ['--events', kubeconfig, '--force']));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^zerodrop: error\[output-conflict\]: /);
    expect(readFileSync(kubeconfig, 'utf8')).toBe(before);
    const dirReport = await runCli(args(kubeconfig, fake.frontUrl, ['--report', d]));
    expect(dirReport.code).toBe(2);
    expect(dirReport.stderr).toBe(`zerodrop: error[output-unwritable]: --report ${d} is a directory; name a file\n`);
    expect(fake.requests).toHaveLength(0);
  });

  it('a run the cluster refuses before its first event leaves no output file, not an empty one', async () => {
    const { fake, dir: d, kubeconfig } = await cluster();
    const r = await runCli([
      'rollout',
      'deployment/nope',
      '--restart',
      '--url',
      fake.frontUrl,
      '--kubeconfig',
      kubeconfig,
      '--events',
      join(d, 'e.ndjson'),
      '--json',
      join(d, 'r.json'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^zerodrop: error\[cluster-not-found\]: deployment\/nope not found/);
    expect(readdirSync(d)).toEqual(['kubeconfig']);
  });

  it('SIGTERM mid-rollout stops cleanly like SIGINT: exit 130, the JSON and events written whole', async () => {
    const { fake, dir: d, kubeconfig } = await cluster({ scenario: 'graceful', stepMs: 1000 });
    const run = startCli(args(kubeconfig, fake.frontUrl, ['--json', join(d, 'result.json'), '--events', join(d, 'events.ndjson')]));
    await waitFor(() => fake.patches().length === 1);
    process.kill(run.child.pid!, 'SIGTERM');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    expect(JSON.parse(readFileSync(join(d, 'result.json'), 'utf8')).runs[0]).toMatchObject({ interrupted: true, verdict: 'inconclusive' });
    const last = readFileSync(join(d, 'events.ndjson'), 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toMatchObject({ type: 'run-end', verdict: 'inconclusive' });
    expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
