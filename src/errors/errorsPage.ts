/**
 * docs/errors.md, rendered from the catalogue: the page a user lands on with an error code in
 * hand. `npm run docs:errors` writes it; a test fails when the committed page and this rendering
 * differ.
 */
import { ExitCode } from '../errors.js';
import { ERROR_CATALOGUE, LEGACY_ERROR_CODES, type ErrorArea, type ErrorCode, type ErrorEntry } from './catalogue.js';

const EXIT_CODES: ReadonlyArray<[number, string]> = [
  [ExitCode.ok, 'Success: nothing at or above `--fail-on` (audit), every run passed (lab, rollout).'],
  [ExitCode.findings, 'Findings at or above `--fail-on` (audit), or a run dropped requests (lab, rollout).'],
  [ExitCode.usage, 'Usage or input error: a bad flag, file or manifest (the codes with exit 2 below).'],
  [ExitCode.inconclusive, 'Inconclusive run: it could not prove zero drops (rollout incomplete, load not held, fewer than 100 requests).'],
  [ExitCode.environment, 'Missing environment: a binary, a permission, a cluster or a URL that does not answer (the codes with exit 4 below).'],
  [ExitCode.internal, 'A bug in zerodrop (`internal-error`).'],
  [ExitCode.interrupted, 'Interrupted by SIGINT or SIGTERM, after cleaning up.'],
];

const AREAS: ReadonlyArray<[ErrorArea, string]> = [
  ['cli', 'The command line'],
  ['outputs', 'Output files'],
  ['inputs', 'Input files'],
  ['audit', 'zerodrop audit'],
  ['lab', 'zerodrop lab'],
  ['report', 'zerodrop report'],
  ['rollout', 'zerodrop rollout and audit --cluster'],
  ['graceful', 'zerodrop/graceful (thrown to the application)'],
  ['internal', 'Bugs'],
];

export function renderErrorsPage(): string {
  const entries = Object.entries(ERROR_CATALOGUE) as Array<[ErrorCode, ErrorEntry]>;
  const lines = [
    '# Errors',
    '',
    '<!-- Generated from src/errors/catalogue.ts by `npm run docs:errors`; edit the catalogue, not this page. -->',
    '',
    'Every error zerodrop reports carries a stable code from one catalogue. On the command line it is',
    'one line on stderr, with the file and line when the error is in a file, and no stack trace',
    '(`--debug` or `ZERODROP_DEBUG=1` adds one):',
    '',
    '```text',
    'zerodrop: error[bad-duration]: --warmup: "3x" is not a duration (use e.g. 500ms, 1.5s, 5m)',
    'zerodrop: error[lab-bad-replicas]: k8s/app.yaml:1: Deployment api: replicas must be a whole number ≥ 1 for a rollout, got "3"',
    '```',
    '',
    'The format `zerodrop: error[CODE]: message` is stable: scripts may match the code. The code',
    'fixes the exit code, so the same mistake ends the same way wherever zerodrop finds it.',
    '',
    '## Exit codes',
    '',
    '| exit | meaning |',
    '| ---: | --- |',
    ...EXIT_CODES.map(([code, meaning]) => `| ${code} | ${meaning} |`),
    '',
    '## In code',
    '',
    'The library throws `ZerodropError` with `code`, `exitCode`, `message` and, for errors in a file,',
    '`position` (`{ file, line, column }`). Match on `code`, never on the message:',
    '',
    '```ts',
    "import { graceful, hasErrorCode } from 'zerodrop/graceful';",
    '',
    'try {',
    '  graceful(server, options);',
    '} catch (err) {',
    "  if (hasErrorCode(err, 'graceful-invalid-option')) console.error(err.message);",
    '  else throw err;',
    '}',
    '```',
    '',
    '## Renamed codes',
    '',
    'These codes were renamed to the kebab-case of every other code. Until the next minor release',
    'the old spelling stays in `err.legacyCode`, and `hasErrorCode(err, OLD)` still matches; after',
    'it only the new code remains.',
    '',
    '| old code | code |',
    '| --- | --- |',
    ...Object.entries(LEGACY_ERROR_CODES).map(([old, code]) => `| \`${old}\` | [\`${code}\`](#${code}) |`),
    '',
    '## Codes',
  ];
  for (const [area, title] of AREAS) {
    const inArea = entries.filter(([, e]) => e.area === area);
    if (inArea.length === 0) continue;
    lines.push('', `### ${title}`, '', '| code | exit | meaning |', '| --- | ---: | --- |');
    for (const [code, e] of inArea) lines.push(`| <a id="${code}"></a>\`${code}\` | ${ExitCode[e.exit]} | ${e.summary.replaceAll('|', '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}
