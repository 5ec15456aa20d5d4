/**
 * `--fix-in-place`: apply every workload's merged patch to the YAML node tree it came from and
 * write the file back. Editing nodes (not re-serialising objects) keeps comments and most of the
 * layout. Refuses rendered streams (stdin, kustomize) and writes nothing when any input failed to
 * parse, so a half-read directory is never half-rewritten.
 */
import { writeFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';
import type { StrategicPatch } from '../types.js';
import type { ParsedYamlSource } from '../yamlSource.js';
import type { WorkloadFix } from './patches.js';
import { MERGE_KEYS } from '../patch.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function scalarKeyIs(key: unknown, wanted: string): boolean {
  return isScalar(key) && String(key.value) === wanted;
}

/** A new node for `value` that looks like the node it replaces: flow stays flow, quotes stay quotes. */
function createLike(doc: Document, value: unknown, old: Node | null | undefined): Node {
  const node = doc.createNode(value) as Node;
  if (old && (isSeq(old) || isMap(old)) && (isSeq(node) || isMap(node))) {
    node.flow = old.flow ?? false;
    const firstOld = old.items[0];
    const oldScalar = isScalar(firstOld) ? firstOld : undefined;
    if (isSeq(node) && oldScalar?.type) for (const item of node.items) if (isScalar(item) && typeof item.value === 'string') item.type = oldScalar.type;
  } else if (old && isScalar(old) && isScalar(node) && typeof node.value === 'string' && old.type) {
    node.type = old.type;
  }
  return node;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A patch that deletes one key and adds another with the same value is a rename (unknown-field's
 * fix): rename the key node in place so the value keeps its layout and comments.
 */
function applyRenames(map: YAMLMap, patch: StrategicPatch): Set<string> {
  const handled = new Set<string>();
  for (const [oldKey, v] of Object.entries(patch)) {
    if (v !== null) continue;
    const pair = map.items.find((p) => scalarKeyIs(p.key, oldKey));
    if (!pair || !isScalar(pair.key)) continue;
    const current = (pair.value as Node | null)?.toJSON?.() ?? null;
    const newKey = Object.keys(patch).find(
      (k) => patch[k] !== null && !handled.has(k) && !map.items.some((p) => scalarKeyIs(p.key, k)) && sameValue(patch[k], current),
    );
    if (!newKey) continue;
    pair.key.value = newKey;
    handled.add(oldKey).add(newKey);
  }
  return handled;
}

/** Applies a strategic-merge patch to a YAML map node in place. */
export function applyPatchToNode(doc: Document, map: YAMLMap, patch: StrategicPatch): void {
  const renamed = applyRenames(map, patch);
  for (const [key, value] of Object.entries(patch)) {
    if (renamed.has(key)) continue;
    const pair = map.items.find((p) => scalarKeyIs(p.key, key));
    if (value === null) {
      if (pair) map.items.splice(map.items.indexOf(pair), 1);
      continue;
    }
    const current = pair?.value as Node | null | undefined;
    if (isRecord(value) && current && isMap(current)) {
      applyPatchToNode(doc, current, value);
    } else if (Array.isArray(value) && MERGE_KEYS[key] && current && isSeq(current)) {
      const mk = MERGE_KEYS[key]!;
      for (const item of value) {
        const existing = isRecord(item)
          ? current.items.find((n) => isMap(n) && n.items.some((p) => scalarKeyIs(p.key, mk) && isScalar(p.value) && p.value.value === item[mk]))
          : undefined;
        if (existing && isMap(existing) && isRecord(item)) applyPatchToNode(doc, existing, item);
        else current.items.push(doc.createNode(item));
      }
    } else if (pair) {
      pair.value = createLike(doc, value, current);
    } else {
      map.set(doc.createNode(key), doc.createNode(value));
    }
  }
}

export interface InPlaceOutcome {
  written: Array<{ file: string; fixes: WorkloadFix[] }>;
  /** Fixes we would not apply (rendered stream or stdin), with why. */
  skipped: Array<{ file: string; reason: string }>;
}

/** Sequences under a key at the key's own indentation (`key:\n- a`) in the original file. */
function usesFlushSequences(text: string): boolean {
  return /^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(text);
}

export function applyFixesInPlace(fixes: readonly WorkloadFix[], sources: readonly ParsedYamlSource[]): InPlaceOutcome {
  const outcome: InPlaceOutcome = { written: [], skipped: [] };
  const bySource = new Map<ParsedYamlSource, WorkloadFix[]>();
  for (const f of fixes) {
    const src = sources.find((s) => s.objects.some((o) => o === f.located));
    if (!src) continue;
    if (src.source.origin !== 'file') {
      if (!outcome.skipped.some((s) => s.file === src.source.file))
        outcome.skipped.push({
          file: src.source.file,
          reason:
            src.source.origin === 'stdin'
              ? 'stdin cannot be edited; use --fix for a patch'
              : 'rendered by kubectl kustomize; use --fix and add the printed patch to your overlay',
        });
      continue;
    }
    const list = bySource.get(src) ?? [];
    list.push(f);
    bySource.set(src, list);
  }
  for (const [src, list] of bySource) {
    for (const f of list) {
      const node = f.located.node;
      if (!isMap(node)) continue;
      const { apiVersion: _a, kind: _k, metadata: _m, ...patch } = f.patch;
      applyPatchToNode(f.located.document, node, patch);
    }
    const indentSeq = !usesFlushSequences(src.source.text);
    let text = src.documents.map((d) => d.toString({ indentSeq, flowCollectionPadding: false, lineWidth: 0 })).join('');
    if (!text.endsWith('\n')) text += '\n';
    writeFileSync(src.source.path ?? src.source.file, text);
    outcome.written.push({ file: src.source.file, fixes: list });
  }
  return outcome;
}
