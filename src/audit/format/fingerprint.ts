/**
 * Identities of findings that survive unrelated edits, for code-scanning alerts and merge-request
 * widgets that match findings across runs: rule, message template (`messageId`), file, object and
 * container, never the line (lines move) nor the message text (it quotes values, which change as
 * a fix is worked on). Findings that share all of these are told apart by their order in the file.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../types.js';

/** One hex fingerprint per finding, in the same order. */
export function fingerprints(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const o = f.object;
    const key = [
      f.rule,
      f.messageId,
      f.file, // No namespace in the manifest means kubectl's default: one object, one fingerprint.
      o ? `${o.kind}/${o.namespace ?? 'default'}/${o.name}` : '',
      f.container ?? '',
    ].join('\0');
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32);
  });
}
