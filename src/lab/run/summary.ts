import { terminalSafe } from '../../terminalText.js';
import { outcomeOf, type LabResultRow, type LabRunRow } from './runPlanned.js';

/**
 * The table the lab ends with: run, requests, failed, by class, rollout time, what the run was
 * expected to show, the verdict, and the audit's prediction beside it.
 */
export function formatResultsTable(rows: readonly LabResultRow[]): string {
  const header = ['run', 'requests', 'failed', 'by class', 'rollout', 'expected', 'verdict', 'audit'];
  const body = rows.map((r) => {
    if ('unavailable' in r) return [r.name, '–', '–', '–', '–', r.expected, r.unavailable, ''];
    const classes = Object.entries(r.failuresByClass)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    return [
      r.name,
      String(r.requests),
      String(r.failures),
      classes || '–',
      r.rollout.completed ? `${(r.rollout.durationMs / 1000).toFixed(1)} s` : 'incomplete',
      r.expected,
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

/**
 * One line under the table that explains the exit code: every run showed what it was meant to,
 * or which did not (a drop where zero was expected, zero where drops were), or proved nothing.
 */
export function formatExpectationLine(rows: readonly LabResultRow[]): string {
  const ran = rows.filter((r): r is LabRunRow => !('unavailable' in r));
  if (ran.length === 0) return '';
  const contrary = ran.filter((r) => outcomeOf(r) === 'fail');
  const unproven = ran.filter((r) => outcomeOf(r) === 'inconclusive');
  const parts: string[] = [];
  for (const r of contrary)
    parts.push(
      r.expected === 'zero'
        ? `${r.name} dropped ${r.failures} of ${r.requests} requests where zero was expected`
        : `${r.name} dropped none where drops were expected`,
    );
  if (unproven.length > 0) parts.push(`${unproven.map((r) => r.name).join(', ')} proved nothing (inconclusive)`);
  const line = parts.length === 0 ? `every run showed what it was expected to (${ran.map((r) => `${r.name}: ${r.expected}`).join(', ')})` : parts.join('; ');
  return `${terminalSafe(line)}\n`;
}
