/**
 * `--fix-in-place` reads the file back after its rename, and when it does not hold what was
 * written, puts the original back. Here a real second writer changes the file in exactly that
 * window: test/audit/fixtures/second-writer.py holds zerodrop's read-back inside open() with a
 * fanotify permission event and appends to the file first. Neither the user's original nor the
 * second writer's bytes may be lost.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, zerodrop } from './cli.js';
import { WEB_DEPLOYMENT, WEB_DEPLOYMENT_FIX } from './manifests.js';

const WRITER = join(repoRoot, 'test', 'audit', 'fixtures', 'second-writer.py');
const check = spawnSync('python3', [WRITER, '--check'], { encoding: 'utf8' });
const unavailable =
  check.error || check.status !== 0
    ? `needs python3 and fanotify permission events (root on Linux): ${check.error?.message ?? check.stderr.trim()}`
    : undefined;
if (unavailable) console.warn(`SKIPPED: --fix-in-place read-back race: ${unavailable}`);

const work = mkdtempSync(join(tmpdir(), 'zerodrop-readback-'));
const writers: ChildProcess[] = [];
afterAll(() => {
  for (const w of writers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const ADDED = WEB_DEPLOYMENT_FIX;
const SECOND_WRITER = '# saved by another program\n';

/** Starts the second writer on dir/name and resolves once it watches. */
async function secondWriter(dir: string, name: string, expected: string, appended: string): Promise<{ child: ChildProcess; output: () => string }> {
  const expectedFile = join(work, 'expected');
  const appendedFile = join(work, 'appended');
  writeFileSync(expectedFile, expected);
  writeFileSync(appendedFile, appended);
  const child = spawn('python3', [WRITER, dir, name, expectedFile, appendedFile], { stdio: ['pipe', 'pipe', 'pipe'] });
  writers.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (out.includes('ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`second writer exited ${code} before watching: ${err}`)));
  });
  return { child, output: () => out };
}

describe.skipIf(unavailable !== undefined)('--fix-in-place when the read-back differs from what it wrote', () => {
  it('a second writer appends between the rename and the read-back: the original is restored and their bytes are kept beside it', async () => {
    const dir = mkdtempSync(join(work, 'case-'));
    const file = join(dir, 'app.yaml');
    writeFileSync(file, WEB_DEPLOYMENT);
    const writer = await secondWriter(dir, 'app.yaml', `${WEB_DEPLOYMENT}${ADDED}`, SECOND_WRITER);
    const r = zerodrop(['audit', file, '--fix-in-place']);
    writer.child.stdin!.end();
    await once(writer.child, 'exit');
    // The race really happened: zerodrop's read-back saw the second writer's bytes.
    expect(writer.output()).toContain('appended');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/error\[fix-unwritable\].*app\.yaml.*did not read back as written/);
    expect(readFileSync(file, 'utf8')).toBe(WEB_DEPLOYMENT);
    const kept = readdirSync(dir).filter((f) => f !== 'app.yaml');
    expect(kept).toHaveLength(1);
    expect(r.stderr).toContain(kept[0]);
    expect(readFileSync(join(dir, kept[0]!), 'utf8')).toBe(`${WEB_DEPLOYMENT}${ADDED}${SECOND_WRITER}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
