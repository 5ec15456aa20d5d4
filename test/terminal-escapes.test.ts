import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatText } from '../src/audit/format/text.js';
import type { ZerodropEvent } from '../src/events/schema.js';
import type { LabRunResult } from '../src/lab/run/runLab.js';
import { formatResultsTable } from '../src/lab/run/summary.js';
import { renderLivePanel } from '../src/report/live/livePanel.js';
import { FailureSummariser, plainLine } from '../src/report/live/livePlain.js';
import { applyLiveEvent, createLiveState } from '../src/report/live/liveState.js';
import { zerodrop } from './audit/cli.js';
import pc from 'picocolors';

// Names and messages come from the user's manifests, lab files and processes. Whatever they hold,
// no text zerodrop prints may carry a control character the terminal would act on: a value must
// not clear the screen, retitle the window, recolour what follows, start a fake line or reverse
// the text. The only escapes allowed are zerodrop's own colours (SGR: ESC [ … m).

const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';
const RED = '\u001b[31m';
const hostile = (name: string) => `${name}${CLEAR}${TITLE}${RED}\r\nfake line\u009b1m\u202e`;
const shown = (name: string) => `${name}\\x1b[2J\\x1b]0;pwned\\x07\\x1b[31m\\r\\nfake line\\x9b1m\\u202e`;

/** Control characters other than newlines and zerodrop's own colour codes. */
function unsafe(text: string): string[] {
  return [
    ...text
      .replace(/\u001b\[[0-9;]*m/g, '')
      .replace(/\n/g, '')
      .matchAll(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g),
  ].map((m) => `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
}

describe('control characters in names and messages never reach the terminal raw', () => {
  it('zerodrop audit (text): object, namespace and container names are shown escaped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerodrop-escapes-'));
    const manifest = join(dir, 'deploy.yaml');
    writeFileSync(
      manifest,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: ${JSON.stringify(hostile('web'))}`,
        `  namespace: ${JSON.stringify(hostile('prod'))}`,
        'spec:',
        '  replicas: 2',
        '  template:',
        '    spec:',
        '      containers:',
        `        - name: ${JSON.stringify(hostile('app'))}`,
        '          image: ghcr.io/example/api:1.2',
        '          ports: [{containerPort: 8080}]',
        '',
      ].join('\n'),
    );
    const r = zerodrop(['audit', manifest]);
    // The report wraps at 100 columns, between words: joined again, each name reads whole.
    const unwrapped = r.stdout.replace(/\n +/g, ' ');
    expect(unwrapped).toContain(`Deployment ${shown('prod')}/${shown('web')} container ${shown('app')}`);
    expect(unsafe(r.stdout)).toEqual([]);
  });

  it('the audit text report in colour (a terminal): paths, names, messages, fixes and input errors', () => {
    const text = formatText(
      {
        findings: [
          {
            rule: 'prestop-missing',
            messageId: 'noPreStop',
            severity: 'error',
            message: hostile('message'),
            fix: hostile('fix'),
            file: hostile('k8s/a.yaml'),
            line: 1,
            column: 1,
            object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: hostile('ns'), name: hostile('web') },
            container: hostile('app'),
          },
        ],
        errors: [{ file: hostile('broken.yaml'), line: 3, message: hostile('invalid YAML') }],
      },
      { color: true },
    );
    expect(text).toMatch(/\u001b\[31m/);
    const unwrapped = text.replace(/\n(\u001b\[\d+m)* +/g, ' ');
    for (const name of ['message', 'fix', 'k8s/a.yaml', 'ns', 'web', 'app', 'broken.yaml', 'invalid YAML']) expect(unwrapped).toContain(shown(name));
    expect(unsafe(text)).toEqual([]);
  });

  it('the one-line CLI error: a hostile file name is shown escaped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerodrop-escapes-'));
    const r = zerodrop(['report', join(dir, hostile('missing.ndjson')), '-o', join(dir, 'out.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(shown('missing.ndjson'));
    expect(unsafe(r.stderr)).toEqual([]);
  });

  it('the lab’s results table', () => {
    const run: LabRunResult = {
      name: hostile('run'),
      verdict: 'pass',
      reasons: [],
      requests: 10,
      failures: 0,
      failuresByClass: {},
      rollout: { completed: true, durationMs: 1000, deadlineExceeded: false },
      wallMs: 2000,
      latency: { p50: 1, p99: 2, max: 3 },
    };
    const table = formatResultsTable([
      { ...run, expected: 'zero' },
      { name: 'other', unavailable: hostile('needs nginx'), expected: 'zero' },
    ]);
    expect(table).toContain(shown('run'));
    expect(table).toContain(shown('needs nginx'));
    expect(unsafe(table)).toEqual([]);
  });

  const events: ZerodropEvent[] = [
    { t: 0, run: hostile('run'), type: 'run-start', schema: 1, startedAt: '', command: 'x', source: 'lab', config: {}, description: hostile('desc') },
    { t: 1, run: hostile('run'), type: 'pod', pod: hostile('pod'), phase: 'created', revision: hostile('rev'), detail: hostile('detail') },
    { t: 2, run: hostile('run'), type: 'container', pod: hostile('pod'), container: hostile('app'), action: 'exit', exitCode: 1, detail: hostile('crash') },
    { t: 3, run: hostile('run'), type: 'container', pod: hostile('pod'), container: hostile('app'), action: 'signal', signal: hostile('SIGTERM') },
    { t: 4, run: hostile('run'), type: 'endpoint', pod: hostile('pod'), consumer: hostile('proxy'), change: 'removed' },
    { t: 5, run: hostile('run'), type: 'rollout', action: 'start', revision: hostile('rev'), detail: hostile('strategy') },
    { t: 6, run: hostile('run'), type: 'note', level: 'warn', message: hostile('note') },
    { t: 7, run: hostile('run'), type: 'request', intended: 7, start: 7, end: 8, error: 'refused', pod: hostile('pod') },
    {
      t: 2000,
      run: hostile('run'),
      type: 'run-end',
      verdict: 'fail',
      reasons: [hostile('reason')],
      requests: 1,
      failures: 1,
      failuresByClass: { refused: 1 },
      rollout: { completed: true, durationMs: 1 },
    },
  ];

  it('plain progress lines (CI, --no-progress)', () => {
    const failures = new FailureSummariser();
    const lines = events.flatMap((e) => [failures.add(e), plainLine(e)]).filter((l): l is string => l !== null);
    lines.push(failures.flush() ?? '');
    const text = lines.join('\n');
    for (const name of ['run', 'pod', 'app', 'crash', 'note', 'reason', 'proxy']) expect(text).toContain(shown(name));
    expect(unsafe(text)).toEqual([]);
  });

  it('the live panel on a terminal, in colour', () => {
    const state = createLiveState();
    for (const e of events) applyLiveEvent(state, e);
    const text = renderLivePanel(state, 3000, pc.createColors(true)).join('\n');
    expect(text).toContain(shown('note'));
    expect(text).toContain(shown('pod').slice(0, 20));
    expect(unsafe(text)).toEqual([]);
  });
});
