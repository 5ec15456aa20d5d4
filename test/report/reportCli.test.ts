import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SCENARIOS, simulateRollingUpdate, toNdjson } from './fixtures/rollingUpdateTimeline.js';

const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const haveDist = existsSync(cli);
if (!haveDist) console.warn('!! dist/ missing (run npm run build): SKIPPING the report CLI tests');

const dir = mkdtempSync(join(tmpdir(), 'zerodrop-report-cli-'));
// NO_COLOR: picocolors colours output when CI is set, and these assertions compare exact text.
const zerodrop = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, NO_COLOR: '1' } });

describe.skipIf(!haveDist)('zerodrop report', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const events = join(dir, 'runs.ndjson');
  writeFileSync(events, toNdjson(simulateRollingUpdate(SCENARIOS[2]!)));

  it('writes the HTML next to the events file by default and says what it wrote', () => {
    const r = zerodrop('report', events);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`wrote ${join(dir, 'runs.html')}: probes-prestop PASS\n`);
    expect(readFileSync(join(dir, 'runs.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('refuses to overwrite an existing report unless --force', () => {
    const out = join(dir, 'keep.html');
    writeFileSync(out, 'precious');
    const refused = zerodrop('report', events, '-o', out);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/keep\.html already exists; pass --force/);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    const forced = zerodrop('report', events, '-o', out, '--force');
    expect(forced.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/<!doctype html>/);
  });

  it('names the file and line of a malformed event, without a stack trace', () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, `${toNdjson(simulateRollingUpdate(SCENARIOS[0]!).slice(0, 3))}{"t": 1, "run": "x"\n`);
    const r = zerodrop('report', bad, '-o', join(dir, 'bad.html'));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`zerodrop: error[events-malformed]: ${bad}:4: not a JSON event (expected NDJSON written by zerodrop lab --events)\n`);
    expect(existsSync(join(dir, 'bad.html'))).toBe(false);
  });

  it.each([
    ['a run-end without its reasons and counts', { t: 9, run: 'x', type: 'run-end', verdict: 'pass' }, 'run-end event: reasons is missing'],
    ['a note without a message', { t: 9, run: 'x', type: 'note', level: 'info' }, 'note event: message is missing'],
  ])('refuses %s with its file, line and field, exit 2, no stack trace and no report', (_what, event, message) => {
    const bad = join(dir, 'fields.ndjson');
    writeFileSync(bad, `${toNdjson(simulateRollingUpdate(SCENARIOS[0]!).slice(0, 3))}${JSON.stringify(event)}\n`);
    const r = zerodrop('report', bad, '-o', join(dir, 'fields.html'));
    expect(r.stderr).toBe(`zerodrop: error[events-malformed]: ${bad}:4: ${message}\n`);
    expect(r.status).toBe(2);
    expect(existsSync(join(dir, 'fields.html'))).toBe(false);
  });

  it('reports a missing or empty events file as a usage error', () => {
    const missing = zerodrop('report', join(dir, 'nope.ndjson'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.ndjson: ENOENT/);
    writeFileSync(join(dir, 'empty.ndjson'), '\n');
    const empty = zerodrop('report', join(dir, 'empty.ndjson'));
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/holds no events/);
  });

  it('explains itself in --help', () => {
    const r = zerodrop('report', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/-o, --output <file>/);
    expect(r.stdout).toMatch(/--force/);
    expect(r.stdout).toMatch(/SIGKILL/);
  });
});
