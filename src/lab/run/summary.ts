import { ExitCode, type ExitCodeValue } from '../../errors.js';
import { terminalSafe } from '../../terminalText.js';
import type { LabRunResult } from './runLab.js';

type Row = LabRunResult | { name: string; unavailable: string };

/** The table the lab ends with: run, requests, failed, by class, rollout time, verdict, and the audit's prediction beside it. */
export function formatResultsTable(rows: readonly Row[]): string {
  const header = ['run', 'requests', 'failed', 'by class', 'rollout', 'verdict', 'audit'];
  const body = rows.map((r) => {
    if ('unavailable' in r) return [r.name, '–', '–', '–', '–', r.unavailable, ''];
    const classes = Object.entries(r.failuresByClass)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    return [
      r.name,
      String(r.requests),
      String(r.failures),
      classes || '–',
      r.rollout.completed ? `${(r.rollout.durationMs / 1000).toFixed(1)} s` : 'incomplete',
      r.verdict,
      r.audit ? (r.audit.predictsDrops ? 'predicts drops' : 'predicts zero') : '–',
    ];
  });
  // Run names and reasons come from lab files: terminal-safe before widths are measured.
  for (const row of body) row.forEach((cell, i) => (row[i] = terminalSafe(cell)));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const fmt = (row: string[]): string =>
    row
      .map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${fmt(header)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}\n${body.map(fmt).join('\n')}\n`;
}

/** Exit codes (issue 4): 0 all runs passed, 1 a run dropped requests, 3 inconclusive. */
export function labExitCode(rows: readonly Row[]): ExitCodeValue {
  const ran = rows.filter((r): r is LabRunResult => !('unavailable' in r));
  if (ran.some((r) => r.verdict === 'fail')) return ExitCode.findings;
  if (ran.some((r) => r.verdict === 'inconclusive')) return ExitCode.inconclusive;
  return ExitCode.ok;
}
