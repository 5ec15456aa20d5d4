import { chmodSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZerodropError } from '../errors.js';
import { claimOutputs, discardPendingOutputs, writeOutputFile } from './outputFiles.js';

const root = mkdtempSync(join(tmpdir(), 'zerodrop-outputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function dir(): string {
  const d = join(root, String(n++));
  mkdirSync(d);
  return d;
}

function errorOf(fn: () => unknown): ZerodropError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ZerodropError) return err;
    throw err;
  }
  throw new Error('expected a ZerodropError');
}

describe('the output policy', () => {
  it('refuses an existing file unless --force, and leaves it as it was', () => {
    const d = dir();
    const out = join(d, 'runs.json');
    writeFileSync(out, 'keep me');
    const err = errorOf(() => claimOutputs([{ flag: '--json', path: out }], { force: false }));
    expect(err.code).toBe('output-exists');
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(`--json ${out} already exists; pass --force to replace it, or choose another file`);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    writeOutputFile({ flag: '--json', path: out }, 'new', { force: true });
    expect(readFileSync(out, 'utf8')).toBe('new');
  });

  it('never writes over an input, even with --force: the same path, a hard link or a symlink to it', () => {
    const d = dir();
    const manifest = join(d, 'app.yaml');
    writeFileSync(manifest, 'kind: Deployment\n');
    linkSync(manifest, join(d, 'hard.yaml'));
    symlinkSync(manifest, join(d, 'soft.json'));
    for (const out of [manifest, join(d, 'hard.yaml'), join(d, 'soft.json')]) {
      const err = errorOf(() => claimOutputs([{ flag: '--output', path: out }], { force: true, inputs: { paths: [manifest] } }));
      expect(err.code, out).toBe('output-conflict');
      expect(err.message).toMatch(/which zerodrop reads; it never writes over an input, even with --force$/);
    }
    expect(readFileSync(manifest, 'utf8')).toBe('kind: Deployment\n');
  });

  it('protects the files an input directory is read for, and only those', () => {
    const d = dir();
    mkdirSync(join(d, 'k8s', 'base'), { recursive: true });
    const inputs = { paths: [join(d, 'k8s')] };
    expect(errorOf(() => claimOutputs([{ flag: '--json', path: join(d, 'k8s', 'base', 'new.json') }], { force: true, inputs })).code).toBe('output-conflict');
    const [html] = claimOutputs([{ flag: '--report', path: join(d, 'k8s', 'report.html') }], { force: false, inputs });
    html!.write('<!doctype html>');
    expect(readFileSync(join(d, 'k8s', 'report.html'), 'utf8')).toBe('<!doctype html>');
    // The caller says which names it reads (the audit also reads Dockerfiles).
    const audit = { paths: [join(d, 'k8s')], readsFromDirectory: (name: string) => name === 'Dockerfile' };
    expect(errorOf(() => claimOutputs([{ flag: '--output', path: join(d, 'k8s', 'Dockerfile') }], { force: true, inputs: audit })).code).toBe(
      'output-conflict',
    );
  });

  it('refuses two outputs naming the same file', () => {
    const d = dir();
    const err = errorOf(() =>
      claimOutputs(
        [
          { flag: '--json', path: join(d, 'x') },
          { flag: '--events', path: join(d, '.', 'x') },
        ],
        { force: true },
      ),
    );
    expect(err.code).toBe('output-conflict');
    expect(err.message).toBe(`--events ${join(d, '.', 'x')} is also --json ${join(d, 'x')}; give each output its own file`);
    expect(readdirSync(d)).toEqual([]);
  });

  it('a directory, or a file in a missing directory, is output-unwritable before anything is written', () => {
    const d = dir();
    expect(errorOf(() => claimOutputs([{ flag: '--report', path: d }], { force: true })).message).toBe(`--report ${d} is a directory; name a file`);
    const missing = join(d, 'no', 'such', 'r.html');
    const err = errorOf(() => claimOutputs([{ flag: '--report', path: missing }], { force: false }));
    expect(err.code).toBe('output-unwritable');
    expect(err.message).toBe(`--report ${missing}: directory ${join(d, 'no', 'such')} does not exist`);
  });

  it.skipIf(process.getuid?.() === 0)('a directory without write permission is output-unwritable', () => {
    const d = dir();
    chmodSync(d, 0o500);
    try {
      expect(errorOf(() => claimOutputs([{ flag: '--json', path: join(d, 'r.json') }], { force: false })).message).toMatch(/permission denied/);
    } finally {
      chmodSync(d, 0o700);
    }
  });
});

describe('atomic writes', () => {
  it('nothing appears at the path until the content is complete, and no temporary file is left', async () => {
    const d = dir();
    const out = join(d, 'events.ndjson');
    const [file] = claimOutputs([{ flag: '--events', path: out }], { force: false });
    const stream = file!.stream();
    stream.write('{"t":0}\n');
    await new Promise<void>((resolve) => stream.end(resolve));
    expect(readdirSync(d)).not.toContain('events.ndjson');
    file!.commit();
    expect(readdirSync(d)).toEqual(['events.ndjson']);
    expect(readFileSync(out, 'utf8')).toBe('{"t":0}\n');
  });

  it('a discarded or interrupted output leaves nothing behind', () => {
    const d = dir();
    const [a, b] = claimOutputs(
      [
        { flag: '--json', path: join(d, 'a.json') },
        { flag: '--report', path: join(d, 'b.html') },
      ],
      { force: false },
    );
    expect(readdirSync(d)).toHaveLength(2); // the reserved temporary files
    a!.discard();
    discardPendingOutputs(); // what a forced exit runs
    expect(readdirSync(d)).toEqual([]);
    b!.discard();
  });

  it('without --force the final rename refuses a file that appeared while the run went on', () => {
    const d = dir();
    const out = join(d, 'runs.json');
    const [file] = claimOutputs([{ flag: '--json', path: out }], { force: false });
    writeFileSync(out, 'written meanwhile');
    const err = errorOf(() => file!.write('ours'));
    expect(err.code).toBe('output-exists');
    expect(readFileSync(out, 'utf8')).toBe('written meanwhile');
    expect(readdirSync(d)).toEqual(['runs.json']);
  });
});
