/**
 * JUnit XML, the test-report format CI systems display without plugins (GitLab's
 * `artifacts:reports:junit`, Jenkins, Azure Pipelines): one test suite per file, one failed test
 * case per finding, an errored case per input error, and one passing case when there is nothing
 * to report, so an empty report still reads as "audit ran and passed".
 */
import type { AuditResult, Finding } from '../types.js';
import { objectLabel, reportLocation } from './location.js';

function xml(s: string): string {
  // XML 1.0 forbids most control characters even as references; they never carry meaning here.
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function testCase(f: Finding): string {
  const at = reportLocation(f);
  const file = at.file ?? 'stdin';
  const what = objectLabel(f);
  const name = `${f.rule}${what ? ` ${what}` : ''} at ${file}:${at.line}`;
  const body = `${f.severity}: ${f.message}${at.note}${f.fix ? `\nfix: ${f.fix}` : ''}`;
  return `    <testcase classname="${xml(file)}" name="${xml(name)}" file="${xml(file)}" line="${at.line}">\n      <failure type="${xml(f.rule)}" message="${xml(f.message)}">${xml(body)}</failure>\n    </testcase>`;
}

export function formatJunit(result: AuditResult): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const file = reportLocation(f).file ?? 'stdin';
    byFile.set(file, [...(byFile.get(file) ?? []), f]);
  }
  const suites: string[] = [];
  for (const [file, findings] of byFile)
    suites.push(
      `  <testsuite name="${xml(file)}" tests="${findings.length}" failures="${findings.length}" errors="0">\n${findings.map(testCase).join('\n')}\n  </testsuite>`,
    );
  if (result.errors.length > 0) {
    const cases = result.errors.map((e) => {
      const where = [e.file, e.line, e.column].filter((x) => x !== undefined).join(':');
      return `    <testcase classname="zerodrop input" name="${xml(`read ${where}`)}">\n      <error message="${xml(e.message)}">${xml(`${where}: ${e.message}`)}</error>\n    </testcase>`;
    });
    suites.push(
      `  <testsuite name="zerodrop input errors" tests="${cases.length}" failures="0" errors="${cases.length}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  if (suites.length === 0)
    suites.push(
      '  <testsuite name="zerodrop audit" tests="1" failures="0" errors="0">\n    <testcase classname="zerodrop" name="no findings"/>\n  </testsuite>',
    );
  const failures = result.findings.length;
  const errors = result.errors.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="zerodrop audit" tests="${Math.max(1, failures + errors)}" failures="${failures}" errors="${errors}">\n${suites.join('\n')}\n</testsuites>\n`;
}
