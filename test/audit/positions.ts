/** Expected positions written as text, so a test says which line it means instead of a bare number. */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export interface Expected {
  line: number;
  column: number;
}

/**
 * The position of `pointAt` on the one line of `file` that contains `lineText` (the whole line
 * when `pointAt` is omitted: its first non-blank character). Throws when the line is missing or
 * not unique, so a fixture edit cannot make a test silently point elsewhere.
 */
export function at(file: string, lineText: string | RegExp, pointAt?: string): Expected {
  const lines = readFileSync(file, 'utf8').split('\n');
  const matches = (l: string) => (typeof lineText === 'string' ? l.includes(lineText) : lineText.test(l));
  const hits = lines.map((l, i) => [l, i] as const).filter(([l]) => matches(l));
  if (hits.length !== 1) throw new Error(`${file}: expected one line matching ${String(lineText)}, found ${hits.length}`);
  const [text, i] = hits[0]!;
  const from = typeof lineText === 'string' ? text.indexOf(lineText) : 0;
  const column = pointAt === undefined ? text.search(/\S/) + 1 : text.indexOf(pointAt, from) + 1;
  if (column === 0) throw new Error(`${file}:${i + 1}: ${JSON.stringify(pointAt)} not on the line`);
  return { line: i + 1, column };
}

export const kubectlPresent = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectlPresent) console.warn('SKIPPING kustomize tracing tests: kubectl (with its built-in kustomize) is not on PATH');
