/**
 * `--fix-in-place` through the CLI on the inputs it used to damage: a template shared through an
 * alias, tagged nodes, duplicate keys, a comment on the edited container's line, CRLF, and a
 * write that fails. The file is either exactly the original plus the fix, or byte-identical with
 * a positioned reason; a failed write is exit 4 and leaves neither a changed file nor a temporary one.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, zerodrop } from './cli.js';
import { WEB_DEPLOYMENT, WEB_DEPLOYMENT_FIX } from './manifests.js';

const dir = mkdtempSync(join(tmpdir(), 'zerodrop-fix-in-place-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEPLOYMENT = WEB_DEPLOYMENT.replace('- name: web\n', '- name: web   # the server\n');

const ADDED = WEB_DEPLOYMENT_FIX;

function fixInPlace(name: string, content: string) {
  const file = join(dir, name);
  writeFileSync(file, content);
  const r = zerodrop(['audit', file, '--fix-in-place']);
  return { ...r, file, after: readFileSync(file, 'utf8') };
}

describe('--fix-in-place writes exactly original + fix', () => {
  it('keeps the comment on the edited container line and every byte it was not asked to change', () => {
    const r = fixInPlace('plain.yaml', DEPLOYMENT);
    expect(r.after).toBe(`${DEPLOYMENT}${ADDED}`);
    expect(r.stderr).toMatch(/fixed .*plain\.yaml: Deployment web \(prestop-missing \(web\), readiness-probe-missing \(web\)\)/);
    expect(r.code).toBe(0);
  });

  it('keeps CRLF line endings, in the lines it adds too', () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const r = fixInPlace('crlf.yaml', crlf(DEPLOYMENT));
    expect(r.after).toBe(crlf(`${DEPLOYMENT}${ADDED}`));
    expect(r.code).toBe(0);
  });
});

describe('--fix-in-place refuses what it cannot edit faithfully, and leaves the file byte-identical', () => {
  it('a pod template shared through an anchor and alias: refused at the shared template', () => {
    const items = DEPLOYMENT.replace('  template:', '  template: &tpl')
      .replace(/^(?=.)/gm, '  ')
      .replace(/^ {2}apiVersion/, '- apiVersion');
    const second = `- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web2}\n  spec:\n    replicas: 3\n    selector: {matchLabels: {app: web}}\n    template: *tpl\n`;
    const content = `apiVersion: v1\nkind: List\nitems:\n${items}${second}`;
    const r = fixInPlace('alias.yaml', content);
    expect(r.after).toBe(content);
    expect(r.stderr).toMatch(/not edited .*alias\.yaml:11:7: Deployment web: spec\.template is shared through the anchor &tpl/);
    expect(r.code).toBe(1);
  });

  it.each(['!!str', '!!map'])('a template tagged %s: refused at the tag', (tag) => {
    const content = DEPLOYMENT.replace('  template:\n', `  template: ${tag}\n`);
    const r = fixInPlace(`tag-${tag.slice(2)}.yaml`, content);
    expect(r.after).toBe(content);
    expect(r.stderr).toMatch(new RegExp(`not edited .*:8:5: Deployment web: spec\\.template carries the explicit tag ${tag}`));
    expect(r.code).not.toBe(0);
  });

  it('a duplicate key (which copy would be edited?): an input error, nothing written', () => {
    const content = DEPLOYMENT.replace('        image: nginx:1.27\n', '        image: nginx:1.27\n        name: other\n');
    const r = fixInPlace('dup.yaml', content);
    expect(r.after).toBe(content);
    expect(r.stdout).toMatch(/dup\.yaml:13:9: .*duplicate key "name"/);
    expect(r.stderr).toMatch(/--fix-in-place wrote nothing/);
    expect(r.code).toBe(2);
  });
});

describe('a write that fails leaves the original', () => {
  it('a read-only file: exit 4, error[fix-unwritable], unchanged', () => {
    const file = join(dir, 'readonly.yaml');
    writeFileSync(file, DEPLOYMENT);
    chmodSync(file, 0o444);
    const r = zerodrop(['audit', file, '--fix-in-place']);
    expect(readFileSync(file, 'utf8')).toBe(DEPLOYMENT);
    expect(r.stderr).toMatch(/error\[fix-unwritable\] not edited .*readonly\.yaml: read-only \(mode 444\)/);
    expect(r.code).toBe(4);
  });

  it('the write itself failing (file size limit, as a full disk would): exit 4, unchanged, no temporary file left', () => {
    const sub = mkdtempSync(join(dir, 'fsize-'));
    const file = join(sub, 'app.yaml');
    writeFileSync(file, DEPLOYMENT);
    // SIGXFSZ ignored, so an over-limit write fails with EFBIG instead of killing the process;
    // stdout and stderr are pipes, which the limit does not touch.
    const r = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f 0; exec "${process.execPath}" "${cliPath}" audit "${file}" --fix-in-place`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });
    expect(readFileSync(file, 'utf8')).toBe(DEPLOYMENT);
    expect(readdirSync(sub)).toEqual(['app.yaml']);
    expect(r.stderr).toMatch(/error\[fix-unwritable\] not edited .*app\.yaml: could not write it \(file size limit exceeded\); the file is unchanged/);
    expect(r.status).toBe(4);
  });
});
