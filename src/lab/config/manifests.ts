import { readFileSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { ZerodropError, usageError } from '../../errors.js';
import type { KubeObject } from '../../k8s/objects.js';

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

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ZerodropError('input-unreadable', `${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function parseManifestText(text: string, file: string): SourcedObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const out: SourcedObject[] = [];
  for (const doc of docs) {
    const line = lineCounter.linePos(doc.range[0]).line;
    const err = doc.errors[0];
    if (err) {
      const pos = lineCounter.linePos(err.pos[0]);
      throw usageError('yaml-invalid', `not valid YAML: ${err.message.split('\n')[0]}`, { file, line: pos.line, column: pos.col });
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value))
      throw usageError('lab-manifest-shape', 'expected a Kubernetes object (a mapping with apiVersion and kind)', { file, line });
    out.push({ object: value as KubeObject, file, line });
  }
  return out;
}
