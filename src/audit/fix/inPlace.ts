/**
 * `--fix-in-place`: every workload's merged patch applied to the file it came from, as small
 * edits to the file's own text (src/audit/fix/nodeEdits.ts), so nothing the patch does not touch
 * changes by a byte. Before anything is written the edited text is parsed again and must read as
 * exactly the original objects with the patches applied (what kustomize would produce); the write
 * is atomic (src/audit/fix/atomicWrite.ts). Refuses rendered streams (stdin, kustomize), and the
 * CLI writes nothing when any input failed to parse, so a half-read directory is never half-rewritten.
 */
import { isAlias, isMap, isSeq, type Document, type Node } from 'yaml';
import { applyPatch } from '../patch.js';
import type { Source } from '../sources.js';
import { decodeText } from '../sources.js';
import { MAX_ALIAS_COUNT, parseYamlSource, type ParsedYamlSource } from '../yamlSource.js';
import { replaceFile } from './atomicWrite.js';
import { applyEdits, EditRefused, editMap, lineStart, type EditContext } from './nodeEdits.js';
import type { WorkloadFix } from './patches.js';
import type { BlockStyle } from './render.js';

export interface InPlaceOutcome {
  written: Array<{ file: string; fixes: WorkloadFix[] }>;
  /** Files left as they were on purpose, and why: a rendered stream, an edit that cannot be made faithfully (with its position). */
  skipped: Array<{ file: string; line?: number; column?: number; reason: string }>;
  /** Files whose write failed (permission, full disk, a quota): each one is unchanged. */
  failed: Array<{ file: string; reason: string; code: 'fix-unwritable' }>;
}

/** Sequences under a key at the key's own indentation (`key:\n- a`) in the original file. */
function usesFlushSequences(text: string): boolean {
  return /^( *)[^\s#-][^\n]*:[ \t]*\r?\n\1- /m.test(text);
}

/** The file's indentation step: the first nested block mapping's offset from its parent key, else 2. */
function indentStep(text: string, documents: readonly Document.Parsed[]): number {
  const stack: unknown[] = documents.map((d) => d.contents);
  while (stack.length > 0) {
    const n = stack.pop();
    if (isMap(n)) {
      for (const p of n.items) {
        const v = p.value;
        const k = (p.key as Node | null)?.range;
        if (isMap(v) && !v.flow && !n.flow && k && v.items[0]) {
          const childKey = (v.items[0].key as Node | null)?.range;
          if (childKey) {
            const step = childKey[0] - lineStart(text, childKey[0]) - (k[0] - lineStart(text, k[0]));
            if (step > 0 && lineStart(text, childKey[0]) !== lineStart(text, k[0])) return step;
          }
        }
        stack.push(v);
      }
    } else if (isSeq(n)) stack.push(...n.items);
  }
  return 2;
}

function aliasedAnchors(document: Document.Parsed): Set<string> {
  const names = new Set<string>();
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isAlias(n)) names.add(n.source);
    else if (isMap(n)) for (const p of n.items) stack.push(p.key, p.value);
    else if (isSeq(n)) stack.push(...n.items);
  }
  return names;
}

function patchWithoutIdentity(fix: WorkloadFix): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata: _m, ...patch } = fix.patch;
  return patch;
}

/** Structural equality of parsed YAML values: mappings by key set, lists in order. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `value` with `replacement` at `path` (a `kind: List` item), or `replacement` for the empty path. */
function setAt(value: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[head!] = setAt(copy[head!], rest, replacement);
  return copy;
}

function getAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  return path.reduce<unknown>((v, seg) => (v as Record<string | number, unknown> | undefined)?.[seg], value);
}

/** The edited text, or why it could not be made (with the offset of the node that stopped it). */
function editedText(src: ParsedYamlSource, fixes: readonly WorkloadFix[]): string {
  const text = src.source.text;
  const style: BlockStyle = { indentStep: indentStep(text, src.documents), indentSeq: !usesFlushSequences(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
  const contexts = new Map<Document.Parsed, EditContext>();
  for (const f of fixes) {
    const document = f.located.document;
    let ctx = contexts.get(document);
    if (!ctx) contexts.set(document, (ctx = { text, document, style, aliasedAnchors: aliasedAnchors(document), edits: [], label: '' }));
    ctx.label = `${f.kind} ${f.name}`;
    const node = f.located.node;
    if (!isMap(node)) throw new EditRefused(node.range?.[0] ?? 0, `${f.kind} ${f.name} is not a mapping that can be edited; use --fix`);
    editMap(node, patchWithoutIdentity(f), ctx, '', 0);
  }
  return applyEdits(
    text,
    [...contexts.values()].flatMap((c) => c.edits),
  );
}

/** Why the edited text is not exactly the original objects plus the patches, or undefined when it is. */
function mismatch(src: ParsedYamlSource, fixes: readonly WorkloadFix[], edited: string): string | undefined {
  const { parsed, errors } = parseYamlSource({ ...src.source, text: edited });
  if (errors.length > 0) return `the edited file would not read cleanly (${errors[0]!.message})`;
  if (parsed.documents.length !== src.documents.length) return 'the edited file would hold a different number of documents';
  for (let i = 0; i < src.documents.length; i++) {
    const before = src.documents[i]!;
    let expected = before.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
    for (const f of fixes) {
      if (f.located.document !== before) continue;
      expected = setAt(expected, f.located.basePath, applyPatch(getAt(expected, f.located.basePath), patchWithoutIdentity(f)));
    }
    if (!sameValue(expected, parsed.documents[i]!.toJS({ maxAliasCount: MAX_ALIAS_COUNT })))
      return 'the edited file would not be exactly the original plus the fix';
  }
  return undefined;
}

/** A source's text as the bytes it was read from: UTF-16 with its byte-order mark, else UTF-8. */
function encode(source: Source, text: string): Buffer {
  if (!source.encoding) return Buffer.from(text, 'utf8');
  const body = Buffer.from(text, 'utf16le');
  if (source.encoding === 'utf-16be') body.swap16();
  return Buffer.concat([Buffer.from(source.encoding === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
}

export function applyFixesInPlace(fixes: readonly WorkloadFix[], sources: readonly ParsedYamlSource[]): InPlaceOutcome {
  const outcome: InPlaceOutcome = { written: [], skipped: [], failed: [] };
  const sourceOf = new Map(sources.flatMap((s) => s.objects.map((o) => [o, s] as const)));
  const bySource = new Map<ParsedYamlSource, WorkloadFix[]>();
  for (const f of fixes) {
    const src = sourceOf.get(f.located);
    if (!src) continue;
    bySource.set(src, [...(bySource.get(src) ?? []), f]);
  }
  for (const [src, list] of bySource) {
    const file = src.source.file;
    const path = src.source.path;
    if (src.source.origin === 'stdin') {
      outcome.skipped.push({ file, reason: 'stdin cannot be edited; use --fix for a patch' });
      continue;
    }
    if (src.source.origin === 'kustomize') {
      outcome.skipped.push({ file, reason: 'rendered by kubectl kustomize; use --fix and add the printed patch to your overlay' });
      continue;
    }
    if (!path) {
      outcome.skipped.push({ file, reason: 'a pipe or a device, not a file, cannot be edited; use --fix for a patch' });
      continue;
    }
    let edited: string;
    try {
      edited = editedText(src, list);
    } catch (err) {
      if (!(err instanceof EditRefused)) throw err;
      const pos = src.lineCounter.linePos(err.offset);
      outcome.skipped.push({ file, line: pos.line, column: pos.col, reason: err.message });
      continue;
    }
    const wrong = mismatch(src, list, edited);
    if (wrong) {
      outcome.skipped.push({ file, reason: `${wrong}, so nothing was written (please report this); use --fix for a patch` });
      continue;
    }
    const result = replaceFile(path, encode(src.source, edited), (current) => {
      if (current.equals(encode(src.source, src.source.text))) return undefined;
      const now = decodeText(current);
      return 'text' in now && now.text === src.source.text
        ? 'holds bytes that are not valid UTF-8, so it cannot be rewritten byte for byte; use --fix for a patch'
        : 'changed while zerodrop was auditing it; run the audit again';
    });
    if (result.ok) outcome.written.push({ file, fixes: list });
    else outcome.failed.push({ file, reason: result.reason, code: 'fix-unwritable' });
  }
  return outcome;
}
