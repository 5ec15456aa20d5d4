import { terminalSafe } from '../../terminalText.js';
import type { LabResultRow } from './runPlanned.js';

/** The table the lab ends with: run, requests, failed, by class, rollout time, verdict, and the audit's prediction beside it. */
export function formatResultsTable(rows: readonly LabResultRow[]): string {
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
