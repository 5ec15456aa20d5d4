import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ExitCode, hasErrorCode, LEGACY_ERROR_CODES, ZerodropError, type ErrorCode } from '../../src/errors.js';
import { renderErrorsPage } from '../../src/errors/errorsPage.js';
import { graceful } from '../../src/graceful/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const bin = join(ROOT, 'dist', 'cli', 'main.js');
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });

describe('the error catalogue', () => {
  it('docs/errors.md is the page rendered from the catalogue (regenerate: npm run docs:errors)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8')).toBe(renderErrorsPage());
  });

  it('lists every code once on the page, with an anchor to link to', () => {
    const page = renderErrorsPage();
    for (const code of Object.keys(ERROR_CATALOGUE)) expect(page.split(`<a id="${code}"></a>`).length, code).toBe(2);
  });

  it('holds no code that nothing throws (every entry is used in src/)', () => {
    const src = readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.parentPath.endsWith('errors'))
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    const unused = Object.keys(ERROR_CATALOGUE).filter((code) => !src.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('names codes in kebab-case, each with a one-line summary', () => {
    for (const [code, e] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(e.summary).not.toMatch(/\n/);
      expect(e.summary).toMatch(/\.$/);
    }
  });

  it('fixes the exit code by the code, whatever the throw site', () => {
    expect(new ZerodropError('nginx-missing', 'x').exitCode).toBe(ExitCode.environment);
    expect(new ZerodropError('bad-duration', 'x').exitCode).toBe(ExitCode.usage);
    expect(new ZerodropError('internal-error', 'x').exitCode).toBe(ExitCode.internal);
  });
});

describe('renamed graceful codes stay matchable for one release', () => {
  const thrown = (): unknown => {
    try {
      graceful(42 as never, { exit: false, signals: [] });
    } catch (err) {
      return err;
    }
    return undefined;
  };

  it('err.code is the kebab-case code, err.legacyCode the old one', () => {
    expect(thrown()).toMatchObject({ code: 'graceful-not-http-server', legacyCode: 'GRACEFUL_NOT_HTTP_SERVER' });
  });

  it('hasErrorCode matches the new and the old spelling, and nothing else', () => {
    const err = thrown();
    expect(hasErrorCode(err, 'graceful-not-http-server')).toBe(true);
    expect(hasErrorCode(err, 'GRACEFUL_NOT_HTTP_SERVER')).toBe(true);
    expect(hasErrorCode(err, 'GRACEFUL_INVALID_OPTION')).toBe(false);
    expect(hasErrorCode(new Error('x'), 'graceful-not-http-server')).toBe(false);
  });

  it('maps every old code to its new one', () => {
    expect(LEGACY_ERROR_CODES).toEqual({
      GRACEFUL_INVALID_OPTION: 'graceful-invalid-option',
      GRACEFUL_ALREADY_ATTACHED: 'graceful-already-attached',
      GRACEFUL_NOT_HTTP_SERVER: 'graceful-not-http-server',
    } satisfies Record<string, ErrorCode>);
  });
});

describe('the CLI prints the code', () => {
  it.each([
    [['lab', '--scenario', 'nope'], 'lab-unknown-scenario', expect.stringMatching(/^unknown scenario "nope" \(known: talk, /)],
    [
      ['rollout', 'deployment/web', '--restart', '--url', 'http://127.0.0.1:9/', '--warmup', '3x'],
      'bad-duration',
      '--warmup: "3x" is not a duration (use e.g. 500ms, 1.5s, 5m)',
    ],
    [
      ['rollout', 'deployment/web', '--restart', '--url', 'http://127.0.0.1:9/', '--timeout', '43200m'],
      'bad-duration',
      '--timeout 43200m is longer than a timer can wait (at most 2147483647 ms, about 24.8 days); choose a shorter duration',
    ],
    [['explain', 'nope'], 'unknown-rule', `unknown rule "nope" ('zerodrop rules' lists them)`],
    [
      ['explain', 'shutdown-timeout-exceeds-grace'],
      'unknown-rule',
      'rule "shutdown-timeout-exceeds-grace" is now "server-drain-exceeds-grace" (merged into it); write "server-drain-exceeds-grace" instead',
    ],
    [['frobnicate'], 'cli-usage', "unknown command 'frobnicate'"],
  ])('zerodrop %j: "zerodrop: error[%s]: …", exit 2, no stack trace', (args, code, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    const [prefix, text] = [r.stderr.slice(0, r.stderr.indexOf(']: ') + 3), r.stderr.slice(r.stderr.indexOf(']: ') + 3).split('\n')[0]];
    expect(prefix).toBe(`zerodrop: error[${code}]: `);
    expect(text).toEqual(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('puts the file and line after the code', () => {
    const manifest = join(mkdtempSync(join(tmpdir(), 'zerodrop-errors-')), 'app.yaml');
    writeFileSync(manifest, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  replicas: "3"\n');
    const r = run(['lab', manifest]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `zerodrop: error[manifest-wrong-type]: ${manifest}:5:13: Deployment api: spec.replicas must be an integer, got the string "3"; remove the quotes (the API server rejects this object)\n`,
    );
  });
});
