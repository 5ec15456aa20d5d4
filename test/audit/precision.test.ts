/**
 * Precision on fixtures that reproduce how real projects write their manifests
 * (test/fixtures/real-world/<pattern>/: an operator behind metrics and webhook Services, a Service
 * over v1/v2/v3 Deployments, an Envoy gateway, a headless exporter, a shop with a Redis cache, a
 * Rails shop on unicorn and pitchfork with its Dockerfiles).
 * Each directory is audited as one run with every rule, as a user would audit it. Every error or
 * warning must be marked `# expect: rule/messageId` on its line: an unmarked one is a wrong
 * finding, a marked one that is missing a lost one. Info findings are hints and are not counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedMarkers } from '../../src/audit/rules/fixtures/markers.js';
import { auditTextsStrict } from '../../src/audit/testing.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'real-world');

interface Fixture {
  file: string;
  text: string;
}

function directories(): Array<{ name: string; files: Fixture[] }> {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({
      name: d.name,
      files: readdirSync(join(ROOT, d.name))
        .filter((f) => /\.ya?ml$|Dockerfile/.test(f))
        .sort()
        .map((f) => ({ file: join(ROOT, d.name, f), text: readFileSync(join(ROOT, d.name, f), 'utf8') })),
    }));
}

/** `file:line rule/messageId` of every counted finding, and of every marker. */
function compare(files: readonly Fixture[]): { reported: string[]; expected: string[] } {
  const run = auditTextsStrict(files);
  const reported = run.findings.filter((f) => f.severity !== 'info').map((f) => `${f.file}:${f.line} ${f.rule}/${f.messageId}`);
  const expected = files.flatMap((f) =>
    expectedMarkers(f.text, /Dockerfile/.test(f.file) ? 'dockerfile' : 'yaml').map((m) => `${f.file}:${m.line} ${m.rule}/${m.messageId}`),
  );
  return { reported: reported.sort(), expected: expected.sort() };
}

describe('precision on real-world patterns', () => {
  const dirs = directories();

  it('has pattern directories to measure', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(5);
  });

  it.each(dirs.map((d) => [d.name, d.files] as const))('%s: every error and warning is expected, and every expected one is reported', (_name, files) => {
    const { reported, expected } = compare(files);
    const wrong = reported.filter((r) => !expected.includes(r));
    const missed = expected.filter((e) => !reported.includes(e));
    expect({ wrong, missed }).toEqual({ wrong: [], missed: [] });
  });

  it('notices an unexpected finding (a marker removed from a fixture)', () => {
    const withMarker = dirs.flatMap((d) => d.files).find((f) => f.text.includes('# expect:'));
    expect(withMarker).toBeDefined();
    const stripped = { ...withMarker!, text: withMarker!.text.replace(/ # expect: [^\n]*/, '') };
    const { reported, expected } = compare([stripped]);
    expect(reported.filter((r) => !expected.includes(r)).length).toBeGreaterThan(0);
  });

  it('reports the precision over all of them', () => {
    let findings = 0;
    let wrong = 0;
    for (const d of dirs) {
      const { reported, expected } = compare(d.files);
      findings += reported.length;
      wrong += reported.filter((r) => !expected.includes(r)).length;
    }
    const precision = findings === 0 ? 1 : (findings - wrong) / findings;
    console.log(
      `precision on ${dirs.length} real-world pattern directories: ${findings} error/warning findings, ${wrong} unexpected (${(100 * precision).toFixed(1)} %)`,
    );
    expect(precision).toBe(1);
  });
});
