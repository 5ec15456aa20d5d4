/**
 * The precision test counts errors and warnings only. The rules below are hints (info) whose whole
 * value is being right where they speak, so on the real-world pattern directories their findings
 * are held to markers too: `# hint: rule/messageId` on the line (the `# expect:` grammar, under
 * another name so the precision test does not count it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedMarkers } from '../../src/audit/rules/fixtures/markers.js';
import { auditTextsStrict } from '../../src/audit/testing.js';

const HINTED_RULES = new Set(['knative-scales-to-zero', 'statefulset-update-strategy', 'hpa-aggressive-scale-down']);
const ROOT = join(import.meta.dirname, '..', 'fixtures', 'real-world');

/** The `# hint:` markers of a text, read with the `# expect:` parser after dropping the real expectations. */
function hintMarkers(text: string): Array<{ line: number; rule: string; messageId: string }> {
  const onlyHints = text
    .split('\n')
    .map((l) => l.replace(/(^|\s)#\s*expect:.*$/, '').replace(/(^|\s)#\s*hint:/, '$1# expect:'))
    .join('\n');
  return expectedMarkers(onlyHints, 'yaml');
}

const dirs = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => {
    const files = readdirSync(join(ROOT, d.name))
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => ({ file: join(ROOT, d.name, f), text: readFileSync(join(ROOT, d.name, f), 'utf8') }));
    return { name: d.name, files };
  });

describe('hints on real-world patterns', () => {
  it('has hint markers to measure', () => {
    expect(dirs.flatMap((d) => d.files).filter((f) => /#\s*hint:/.test(f.text)).length).toBeGreaterThanOrEqual(3);
  });

  it.each(dirs.map((d) => [d.name, d.files] as const))('%s: every hint of the hinted rules is marked, and every marked one is given', (_name, files) => {
    const run = auditTextsStrict(files);
    const reported = run.findings
      .filter((f) => f.severity === 'info' && HINTED_RULES.has(f.rule))
      .map((f) => `${f.file}:${f.line} ${f.rule}/${f.messageId}`)
      .sort();
    const expected = files.flatMap((f) => hintMarkers(f.text).map((m) => `${f.file}:${m.line} ${m.rule}/${m.messageId}`)).sort();
    expect(reported).toEqual(expected);
  });
});
