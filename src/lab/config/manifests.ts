import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ZerodropError, usageError } from '../../errors.js';
import type { KubeObject } from '../../k8s/objects.js';
import { decodeText, MAX_SOURCE_BYTES, MAX_YAML_NODES } from '../../audit/sources.js';
import { estimateYamlNodes, MAX_ALIAS_COUNT, parseYamlSource } from '../../audit/yamlSource.js';

/** A manifest object with where it came from, for one-line errors naming file:line. */
export interface SourcedObject {
  object: KubeObject;
  file: string;
  line: number;
}

/** Reads YAML manifests (files or directories of *.yaml/*.yml), every document of every file. */
export function loadManifests(paths: readonly string[]): SourcedObject[] {
  const out: SourcedObject[] = [];
  for (const p of paths) for (const file of expand(p)) out.push(...parseManifestText(readText(file), file));
  return out;
}

function expand(p: string): string[] {
  let st;
  try {
    st = statSync(p);
  } catch {
    throw usageError('input-unreadable', `${p}: no such file or directory`);
  }
  if (!st.isDirectory()) return [p];
  return readdirSync(p)
    .filter((f) => /\.ya?ml$/.test(f) && !/\.lab\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(p, f));
}

/** The audit's limits and decoding: a regular file of at most MAX_SOURCE_BYTES, UTF-8 or UTF-16 with a BOM. */
function readText(file: string): string {
  let bytes: Buffer;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw usageError('input-unreadable', 'not a regular file; the lab reads manifest files', { file });
    if (st.size > MAX_SOURCE_BYTES)
      throw usageError('input-too-large', `file too large (${Math.round(st.size / 1048576)} MiB; limit ${MAX_SOURCE_BYTES / 1048576} MiB)`, { file });
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof ZerodropError) throw err;
    throw new ZerodropError('input-unreadable', `${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const decoded = decodeText(bytes);
  if ('problem' in decoded) throw usageError(decoded.code, decoded.problem, { file });
  return decoded.text;
}

/**
 * Objects of a manifest text, read exactly as the audit reads them (src/audit/yamlSource.ts):
 * merge keys resolved, and every object's shape checked at this boundary, so the first problem
 * is one positioned error before anything runs and nothing after it meets a wrongly typed field.
 */
export function parseManifestText(text: string, file: string): SourcedObject[] {
  const nodes = estimateYamlNodes(text);
  if (nodes > MAX_YAML_NODES)
    throw usageError(
      'input-too-many-nodes',
      `about ${(nodes / 1e6).toFixed(1)} million YAML nodes, more than zerodrop reads (${MAX_YAML_NODES / 1e6} million)`,
      {
        file,
      },
    );
  const { parsed, errors } = parseYamlSource({ file, text, kind: 'yaml', origin: 'file' });
  const first = errors[0];
  if (first) {
    const position = { file, ...(first.line ? { line: first.line } : {}), ...(first.column ? { column: first.column } : {}) };
    throw new ZerodropError(first.code ?? 'yaml-invalid', first.message, { position });
  }
  for (const doc of parsed.documents) {
    const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    if (value === null || value === undefined || (typeof value === 'object' && !Array.isArray(value))) continue;
    throw usageError('lab-manifest-shape', 'expected a Kubernetes object (a mapping with apiVersion and kind)', {
      file,
      line: parsed.lineCounter.linePos(doc.range[0]).line,
    });
  }
  return parsed.objects.map((o) => ({ object: o.object, file, line: parsed.lineCounter.linePos(o.node.range?.[0] ?? 0).line }));
}
