/**
 * Where CI integrations should place a finding. A traced finding names its own file; one that
 * still points into a rendered stream is placed where a reviewer can act on it (the
 * kustomization that was rendered, the helm template) and its message says what the position
 * refers to. A finding read from stdin without helm markers has no file at all.
 */
import { objectRef } from './objectRef.js';
import type { Finding } from '../types.js';
import { kustomizationIn } from '../sources.js';

export interface ReportLocation {
  /** Path relative to the working directory (the repository root in CI), forward slashes; undefined for stdin. */
  file?: string;
  line: number;
  column?: number;
  /** Appended to the message when the position is not in the file itself. */
  note: string;
}

function slashes(p: string): string {
  return p.split('\\').join('/').replace(/^\.\//, '');
}

export function reportLocation(f: Finding): ReportLocation {
  if (!f.rendered) return { file: slashes(f.file), line: f.line, column: f.column, note: '' };
  const by = f.renderedBy ?? (f.file === '-' ? 'stdin' : 'kustomize');
  // The line is in the rendered template; a column would claim more precision than the template source has.
  if (by === 'helm') return { file: slashes(f.file), line: f.line, note: ` (line ${f.line} of the rendered template; the template source may differ)` };
  if (by === 'stdin' || f.file === '-') return { line: f.line, column: f.column, note: ` (at ${f.line}:${f.column} of stdin)` };
  const kustomization = kustomizationIn(f.file);
  return {
    file: slashes(kustomization ?? f.file),
    line: 1,
    note: ` (not traced to a file: at ${f.line}:${f.column} of the output of kubectl kustomize ${slashes(f.file)})`,
  };
}

/** `Kind namespace/name, container c` (no namespace when the manifest names none), or '' for Dockerfile findings. */
export function objectLabel(f: Finding): string {
  if (!f.object) return '';
  return `${objectRef(f.object)}${f.container ? `, container ${f.container}` : ''}`;
}
