import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';

/**
 * Checks that every citation a reader can meet in the repository resolves inside it:
 * - no section-sign (U+00A7) citation: those name sections of reference files outside the repository;
 * - no mention of those reference files themselves;
 * - every relative Markdown link points at an existing file, and its `#anchor` at a heading of the
 *   target page (GitHub heading slugs, or an explicit `<a id="…">`/`<a name="…">`);
 * - every `docs/….md[#anchor]` reference in source, tests, scripts and Markdown does the same.
 * Pure over a directory tree, so its own test can plant bad citations in a scratch tree.
 */
export interface Problem {
  file: string;
  line: number;
  message: string;
}

const SECTION_SIGN = '\u00a7';
const ROOTS = ['src', 'docs', 'test', 'examples', 'bench', 'scripts', 'README.md'];
const SKIP_DIR = new Set(['node_modules', 'dist', 'dist-bench', '.git', 'test-output']);
const TEXT_FILE = /\.(m?[jt]s|cjs|md|ya?ml|sh|json|txt|conf)$/;
/** An internal issue number ("see the issue N" spelt out): the history of the work, which comments and docs do not tell. Upstream issues are cited by URL or owner/repo#N. */
const INTERNAL_ISSUE = /\b[Ii]ssues? [0-9]+\b/g;
const EXTERNAL_REFERENCE =
  /\b(?:kubernetes-semantics|graceful-landscape|linter-landscape|load-and-verify|traffic-paths-and-servers|rollout-real-api)\.md\b|shared\/reference\b/g;
const DOCS_REFERENCE = /(?<![\w/.$-])docs\/[\w./-]*?[\w-]\.md(?:#[\w-]+)?/g;

function walk(root: string, rel: string, out: string[]): void {
  const abs = join(root, rel);
  if (!existsSync(abs)) return;
  if (statSync(abs).isDirectory()) {
    for (const name of readdirSync(abs)) if (!SKIP_DIR.has(name)) walk(root, join(rel, name), out);
  } else if (TEXT_FILE.test(rel)) out.push(rel.split(sep).join('/'));
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Ranges of fenced code blocks, where neither headings nor links count. */
function fences(text: string): [number, number][] {
  return [...text.matchAll(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm)].map((m) => [m.index, m.index + m[0].length]);
}

const inRanges = (pos: number, ranges: [number, number][]) => ranges.some(([s, e]) => pos >= s && pos < e);

/** Every anchor a Markdown page defines: heading slugs (duplicates numbered) and explicit ids. */
export function anchorsOf(markdown: string): Set<string> {
  const code = fences(markdown);
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of markdown.matchAll(/^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    if (inRanges(m.index, code)) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
  return anchors;
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function checkCitations(root: string): Problem[] {
  const files: string[] = [];
  for (const r of ROOTS) walk(root, r, files);
  const anchorCache = new Map<string, Set<string>>();
  const anchorsFor = (rel: string) => {
    let a = anchorCache.get(rel);
    if (!a) {
      a = anchorsOf(readFileSync(join(root, rel), 'utf8'));
      anchorCache.set(rel, a);
    }
    return a;
  };
  const problems: Problem[] = [];

  /** Whether `target` (repository-relative, posix) with an optional anchor resolves; else why not. */
  const resolveTarget = (target: string, anchor: string | undefined): string | undefined => {
    if (target === '' || target === '.') target = '.';
    if (target.startsWith('../') || target === '..') return 'points outside the repository';
    if (!existsSync(join(root, target))) return 'no such file';
    if (anchor === undefined || !target.endsWith('.md')) return undefined;
    return anchorsFor(target).has(decodeURIComponent(anchor)) ? undefined : `no heading with anchor #${anchor} in ${target}`;
  };

  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const report = (pos: number, message: string) => problems.push({ file, line: lineAt(text, pos), message });

    for (let i = text.indexOf(SECTION_SIGN); i >= 0; i = text.indexOf(SECTION_SIGN, i + 1)) {
      report(
        i,
        `section-sign citation "${text.slice(Math.max(0, i - 20), i + 12).replace(/\s+/g, ' ')}": cite docs/reference/<page>.md#<anchor> or an upstream URL`,
      );
    }
    for (const m of text.matchAll(INTERNAL_ISSUE)) {
      report(m.index, `"${m[0]}" names the project's own issue tracker, which readers of the code do not have: say what the code does and why`);
    }
    for (const m of text.matchAll(EXTERNAL_REFERENCE)) {
      report(m.index, `"${m[0]}" is not in the repository: cite docs/reference/ instead`);
    }
    for (const m of text.matchAll(DOCS_REFERENCE)) {
      const [target, anchor] = m[0].split('#') as [string, string | undefined];
      const why = resolveTarget(target, anchor);
      if (why) report(m.index, `${m[0]}: ${why}`);
    }
    if (!file.endsWith('.md')) continue;

    const code = fences(text);
    const links = [
      ...[...text.matchAll(/!?\[[^\]\n]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => ({ pos: m.index, target: m[1]! })),
      ...[...text.matchAll(/^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => ({ pos: m.index, target: m[1]! })),
    ];
    for (const { pos, target } of links) {
      if (inRanges(pos, code) || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/')) continue;
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const resolved = path === '' ? file : posix.normalize(posix.join(posix.dirname(file), decodeURIComponent(path)));
      const why = resolveTarget(resolved, anchor);
      if (why) report(pos, `link ${target}: ${why}`);
    }
  }
  return problems;
}

export const formatProblems = (root: string, problems: Problem[]) =>
  problems.map((p) => `${relative(root, join(root, p.file))}:${p.line}: ${p.message}`).join('\n');

export const repositoryRoot = (from: string) => join(dirname(from), '..', '..');
