/**
 * The audit's reading is bounded and says what it skips: devices and pipes are read with the
 * stdin bound, stdin past the limit is an error (not a silently truncated stream), a file of
 * millions of short lines is refused before it can exhaust the heap, symbolic links in a
 * directory are followed once each (loops end, broken links are reported), and a dangling
 * `.zerodrop.yaml` is an error instead of a config silently not applied.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, isMap, isSeq, isScalar } from 'yaml';
import { estimateYamlNodes } from '../../src/audit/yamlSource.js';
import { MAX_SOURCE_BYTES, MAX_YAML_NODES } from '../../src/audit/sources.js';
import { seedCorpus } from '../../bench/support/fuzz/corpus.js';
import { cliPath, fixturesDir, json, repoRoot, zerodrop } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'zerodrop-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n        ports: [{containerPort: 80}]\n`;

describe('pipes, devices and stdin share one size bound', () => {
  it('/dev/zero named as a PATH is one error, not a hang or an out-of-memory crash', () => {
    const started = Date.now();
    const { code, report } = json(['audit', '/dev/zero']);
    expect(code).toBe(2);
    expect(report.errors).toEqual([expect.objectContaining({ file: '/dev/zero', code: 'input-too-large' })]);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  // The CLI runs asynchronously here: a synchronous spawn would block this process, and with it the writer.
  const audit = (args: string[]) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
    return { child, done };
  };

  it('a FIFO whose writer comes later (as a process substitution may) is audited', async () => {
    const fifo = join(dir, 'manifests.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = audit(['audit', fifo, '--format', 'json']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(fifo, deployment('piped'));
    const { code, stdout } = await run.done;
    const report = JSON.parse(stdout);
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f: { object: { name: string } }) => f.object.name)).toContain('piped');
    expect(code).toBe(1);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s while a FIFO writer sends nothing exits 130 at once', async (signal) => {
    const fifo = join(dir, `idle-${signal}.fifo`);
    execFileSync('mkfifo', [fifo]);
    // A writer that holds the FIFO open and never writes: the audit waits for input.
    const writer = spawn('sh', ['-c', `exec 3>"${fifo}"; echo open; exec sleep 60`], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const run = audit(['audit', fifo]);
      await new Promise((resolve) => writer.stdout.once('data', resolve));
      await new Promise((resolve) => setTimeout(resolve, 300));
      run.child.kill(signal);
      const started = Date.now();
      const { code, signal: killedBy, stderr } = await run.done;
      expect([code, killedBy]).toEqual([130, null]);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('stdin larger than the limit is an error, not a truncated stream audited as if whole', () => {
    const comment = '# padding\n';
    const input = `${deployment('head')}${comment.repeat(Math.ceil((MAX_SOURCE_BYTES + 1024) / comment.length))}`;
    const { code, report } = json(['audit', '-'], { input });
    expect(code).toBe(2);
    expect(report.errors).toEqual([expect.objectContaining({ file: '-', code: 'input-too-large', message: expect.stringMatching(/none of it was audited/) })]);
    expect(report.findings).toEqual([]);
  });
});

describe('memory is bounded by YAML nodes as well as bytes', () => {
  it('30 MB of short lines (under the byte limit) is refused in seconds, without a V8 crash', () => {
    const p = join(dir, 'short-lines.yaml');
    writeFileSync(p, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\nx:\n${'- a\n'.repeat(7_500_000)}`);
    const started = Date.now();
    const r = zerodrop(['audit', p, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).errors).toEqual([
      expect.objectContaining({ code: 'input-too-many-nodes', message: expect.stringMatching(/15\.0 million YAML nodes/) }),
    ]);
    expect(r.stderr).not.toMatch(/FATAL|heap|Native stack/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('the bound holds across the inputs of one run, not per file', () => {
    const a = join(dir, 'half-a.yaml');
    const b = join(dir, 'half-b.yaml');
    // Blank lines count towards the estimate but compose nothing, so the first half parses quickly.
    const half = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: half}\n${'\n'.repeat(MAX_YAML_NODES / 2 + 10)}`;
    writeFileSync(a, half);
    writeFileSync(b, half);
    const { report } = json(['audit', a, b]);
    expect(report.errors).toEqual([
      expect.objectContaining({ file: b, code: 'input-too-many-nodes', message: expect.stringMatching(/audit fewer inputs at a time/) }),
    ]);
  });

  it('the node estimate is never far below the nodes yaml composes, for every fixture and its JSON form', () => {
    const count = (text: string) => {
      let n = 0;
      const stack: unknown[] = parseAllDocuments(text).map((d) => (d as { contents: unknown }).contents);
      while (stack.length > 0) {
        const node = stack.pop();
        if (isMap(node)) {
          n++;
          for (const p of node.items) stack.push(p.key, p.value);
        } else if (isSeq(node)) {
          n++;
          stack.push(...node.items);
        } else if (isScalar(node)) n++;
      }
      return n;
    };
    for (const seed of seedCorpus(repoRoot).filter((s) => s.kind !== 'dockerfile')) {
      const docs = parseAllDocuments(seed.text).map((d) => (d as { toJS(): unknown }).toJS());
      for (const text of [seed.text, docs.map((d) => JSON.stringify(d)).join('\n---\n'), docs.map((d) => JSON.stringify(d, null, 2)).join('\n---\n')]) {
        expect.soft(estimateYamlNodes(text), seed.name).toBeGreaterThanOrEqual(Math.floor(count(text) * 0.9));
      }
    }
  });
});

describe('symbolic links inside an input directory', () => {
  it('are followed, each real file and directory once; loops end and broken links are reported', () => {
    const root = join(dir, 'tree');
    const outside = join(dir, 'outside');
    mkdirSync(join(root, 'sub'), { recursive: true });
    mkdirSync(join(outside, 'more'), { recursive: true });
    writeFileSync(join(root, 'real.yaml'), deployment('real'));
    writeFileSync(join(outside, 'app.yaml'), deployment('linked-file'));
    writeFileSync(join(outside, 'more', 'more.yaml'), deployment('linked-dir'));
    symlinkSync(join(outside, 'app.yaml'), join(root, 'app.yaml'));
    symlinkSync(join(outside, 'more'), join(root, 'more'));
    symlinkSync(root, join(root, 'sub', 'loop'));
    symlinkSync(join(root, 'real.yaml'), join(root, 'sub', 'again.yaml'));
    symlinkSync(join(dir, 'nowhere.yaml'), join(root, 'broken.yaml'));
    const { code, report } = json(['audit', root]);
    const names = report.findings.map((f: { object: { name: string } }) => f.object.name);
    expect([...new Set(names)].sort()).toEqual(['linked-dir', 'linked-file', 'real']);
    // The file reached twice (directly and through a link) is audited once.
    expect(names.filter((n: string) => n === 'real').length).toBe(names.filter((n: string) => n === 'linked-file').length);
    expect(report.errors).toEqual([
      expect.objectContaining({ file: join(root, 'broken.yaml'), code: 'input-unreadable', message: expect.stringMatching(/broken symbolic link/) }),
    ]);
    expect(code).toBe(2);
  });
});

describe('the audit config', () => {
  it('a dangling .zerodrop.yaml symlink is an error, not a config silently not applied', () => {
    const cwd = join(dir, 'cfg');
    mkdirSync(cwd);
    symlinkSync(join(dir, 'no-such-config.yaml'), join(cwd, '.zerodrop.yaml'));
    const r = zerodrop(['audit', join(fixturesDir, 'audit', 'healthy.yaml')], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[input-unreadable\].*\.zerodrop\.yaml: cannot read config file: a broken symbolic link/);
    expect(readFileSync(join(fixturesDir, 'audit', 'healthy.yaml'), 'utf8').length).toBeGreaterThan(0);
  });
});
